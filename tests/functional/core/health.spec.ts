import { test } from '@japa/runner'
import { registerHealthCheck } from '#core/health'
import { staffUser } from '#tests/helpers/actors'
import { startServerProcess } from '#tests/helpers/server_process'

test.group('Health', () => {
  test('the public check says only up, with 200', async ({ client }) => {
    const response = await client.get('/health')
    response.assertStatus(200)
    response.assertBody({ status: 'up' })
  })

  test('the details need a permission; with it, every dependency is named', async ({
    client,
    assert,
  }) => {
    const anonymous = await client.get('/health/details').accept('json')
    anonymous.assertStatus(401)
    const agent = await staffUser('auditor')
    const refused = await client.get('/health/details').actingAs(agent).accept('json')
    refused.assertStatus(403)

    const response = await client
      .get('/health/details')
      .actingAs(await staffUser('admin'))
      .accept('json')
    response.assertStatus(200)
    assert.equal(response.body().status, 'up')
    assert.deepEqual(response.body().down, [])
    assert.properties(response.body().services, ['postgres', 'redis', 'queue'])
    assert.isTrue(response.body().services.queue.up)
  })

  test('a dependency down: the public check says down, only the details say which and why', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      registerHealthCheck('mail-relay', async () => ({
        up: false,
        error: 'relay at 10.0.0.5 refused',
      }))
    )
    const open = await client.get('/health')
    open.assertStatus(503)
    open.assertBody({ status: 'down' })
    assert.notInclude(open.text(), '10.0.0.5')

    const details = await client
      .get('/health/details')
      .actingAs(await staffUser('admin'))
      .accept('json')
    details.assertStatus(503)
    assert.deepEqual(details.body().down, ['mail-relay'])
    assert.equal(details.body().services['mail-relay'].error, 'relay at 10.0.0.5 refused')
  })

  test('answers 503 when Redis is unreachable', async ({ assert }) => {
    const server = await startServerProcess({ REDIS_PORT: '1' })
    try {
      const response = await fetch(`${server.url}/health`)
      assert.equal(response.status, 503)
      assert.deepEqual(await response.json(), { status: 'down' })
    } finally {
      await server.stop()
    }
  }).timeout(120_000)

  test('answers 503 when the database is unreachable', async ({ assert }) => {
    const server = await startServerProcess({ DB_PORT: '1' })
    try {
      const response = await fetch(`${server.url}/health`)
      assert.equal(response.status, 503)
      assert.deepEqual(await response.json(), { status: 'down' })
    } finally {
      await server.stop()
    }
  }).timeout(120_000)
})
