import { test } from '@japa/runner'
import { startServerProcess } from '#tests/helpers/server_process'

test.group('Health', () => {
  test('reports every dependency up with 200', async ({ client, assert }) => {
    const response = await client.get('/health')
    response.assertStatus(200)
    assert.equal(response.body().status, 'up')
    assert.deepEqual(response.body().down, [])
    assert.properties(response.body().services, ['postgres', 'redis', 'queue'])
    assert.isTrue(response.body().services.queue.up)
  })

  test('answers 503 naming Redis and the queue when Redis is unreachable', async ({ assert }) => {
    const server = await startServerProcess(3391, { REDIS_PORT: '1' })
    try {
      const response = await fetch(`${server.url}/health`)
      const body = (await response.json()) as { status: string; down: string[] }
      assert.equal(response.status, 503)
      assert.equal(body.status, 'down')
      assert.includeMembers(body.down, ['redis', 'queue'])
      assert.notInclude(body.down, 'postgres')
    } finally {
      await server.stop()
    }
  }).timeout(120_000)

  test('answers 503 naming Postgres when the database is unreachable', async ({ assert }) => {
    const server = await startServerProcess(3392, { DB_PORT: '1' })
    try {
      const response = await fetch(`${server.url}/health`)
      const body = (await response.json()) as { down: string[] }
      assert.equal(response.status, 503)
      assert.deepEqual(body.down, ['postgres'])
    } finally {
      await server.stop()
    }
  }).timeout(120_000)
})
