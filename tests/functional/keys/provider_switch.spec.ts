import { test } from '@japa/runner'
import { startServerProcess } from '#tests/helpers/server_process'
import { FakeKms, FAKE_KMS_CREDENTIALS, FAKE_KMS_REGION } from '#tests/helpers/fake_kms'

function awsEnv(fake: FakeKms) {
  return {
    KMS_PROVIDER: 'aws',
    KMS_AWS_ENDPOINT: fake.endpoint,
    KMS_AWS_REGION: FAKE_KMS_REGION,
    AWS_ACCESS_KEY_ID: FAKE_KMS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_KMS_CREDENTIALS.secretAccessKey,
  }
}

test.group('Switching the KMS provider by configuration', () => {
  test('KMS_PROVIDER=aws is all it takes; /health probes that KMS at most once per window', async ({
    assert,
  }) => {
    const fake = await new FakeKms().start()
    const server = await startServerProcess(awsEnv(fake))
    try {
      // The public check says only up or down; the AWS KMS it probed counts the probe
      const first = await fetch(`${server.url}/health`)
      assert.equal(first.status, 200)
      assert.deepEqual(await first.json(), { status: 'up' })
      assert.equal(fake.count('ListAliases'), 1)

      await fetch(`${server.url}/health`)
      await fetch(`${server.url}/health`)
      assert.equal(fake.count('ListAliases'), 1)
    } finally {
      await server.stop()
      await fake.stop()
    }
  })

  test('an unreachable KMS makes /health answer 503', async ({ assert }) => {
    const fake = await new FakeKms().start()
    fake.goDown()
    const server = await startServerProcess({ ...awsEnv(fake), KMS_TIMEOUT_MS: '500' })
    try {
      const response = await fetch(`${server.url}/health`)
      assert.equal(response.status, 503)
      assert.deepEqual(await response.json(), { status: 'down' })
    } finally {
      await server.stop()
      await fake.stop()
    }
  })
})
