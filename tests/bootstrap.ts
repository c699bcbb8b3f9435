import { createServer } from 'node:http'
import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import testUtils from '@adonisjs/core/services/test_utils'
import env from '#start/env'
import { withFrontDoor } from '#start/front_door'
import { ensureDatabase, resetSchema } from '#core/database_bootstrap'

import '#tests/helpers/acting_as'
import { redisSessionApiClient } from '#tests/helpers/session_api_client'
import '#tests/helpers/openapi_responses'

export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  redisSessionApiClient(app),
  shieldApiClient(),
]

let databaseReady: Promise<void> | undefined

/**
 * A fresh, migrated schema, once per run, for the suites that talk to Postgres (functional and
 * browser); the unit suite never touches the database, so it neither needs nor waits for it.
 */
function prepareDatabaseOnce() {
  databaseReady ??= prepareDatabase()
  return databaseReady
}

async function prepareDatabase() {
  await ensureDatabase({
    host: env.get('DB_HOST'),
    port: env.get('DB_PORT'),
    user: env.get('DB_USER'),
    password: env.get('DB_PASSWORD'),
    database: env.get('DB_DATABASE'),
  })
  // A fresh schema every run, so a changed migration is picked up without manual resets
  await resetSchema()
  const ace = await app.container.make('ace')
  const { exitCode } = await ace.exec('migration:run', ['--force'])
  if (exitCode) throw new Error('migrations failed')
  // Sync the role rules now, committed: done lazily inside a test's global transaction, the rollback
  // would delete them while the enforcer still holds them, until its next reload
  const { default: policyEnforcer } = await import('#access/services/policy_enforcer')
  await policyEnforcer.ready()
}

export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [],
  teardown: [
    async () => {
      const { closeQueues } = await import('#core/queue')
      await closeQueues()
    },
  ],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional'].includes(suite.name)) {
    suite.setup(() => prepareDatabaseOnce())
    return suite.setup(() =>
      testUtils.httpServer().start((adonis) => createServer(withFrontDoor(adonis)))
    )
  }
}
