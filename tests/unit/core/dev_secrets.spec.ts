import { test } from '@japa/runner'
import { devSecretsInUse, refuseDevSecretsInProduction, DEV_SECRETS } from '#core/dev_secrets'

const envOf = (values: Record<string, string>) => ({ get: (key: string) => values[key] })

test.group('Development secrets', () => {
  test('production refuses to start with the development APP_KEY', ({ assert }) => {
    const env = envOf({ NODE_ENV: 'production', APP_KEY: DEV_SECRETS.APP_KEY[0] })
    assert.throws(() => refuseDevSecretsInProduction(env), /development secrets: APP_KEY/)
  })

  test('production starts with a real APP_KEY', ({ assert }) => {
    const env = envOf({ NODE_ENV: 'production', APP_KEY: 'a-real-secret-from-the-vault-9f8e7d6c' })
    assert.doesNotThrow(() => refuseDevSecretsInProduction(env))
    assert.deepEqual(devSecretsInUse(env), [])
  })

  test('development may use the development secrets', ({ assert }) => {
    const env = envOf({ NODE_ENV: 'development', APP_KEY: DEV_SECRETS.APP_KEY[0] })
    assert.doesNotThrow(() => refuseDevSecretsInProduction(env))
    assert.deepEqual(devSecretsInUse(env), ['APP_KEY'])
  })
})
