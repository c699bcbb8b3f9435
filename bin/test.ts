process.env.NODE_ENV = 'test'

import { existsSync, readFileSync } from 'node:fs'
import { prettyPrintError } from '@adonisjs/core'
import { configure, processCLIArgs, run } from '@japa/runner'
import { APP_ROOT, createIgnitor, terminateWithin } from './ignitor.js'

/*
 * `node ace test` spawns this process with the developer's .env already in the environment, which
 * would shadow .env.test. Values that merely came from .env are replaced; values set on the
 * command line (DB_DATABASE=... node ace test) are kept.
 */
function dotEnv(name: string): Record<string, string> {
  const file = new URL(name, APP_ROOT)
  if (!existsSync(file)) return {}
  const pairs = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.match(/^([A-Z0-9_]+)=(.*)$/))
    .filter((match) => match !== null)
  return Object.fromEntries(pairs.map((match) => [match[1], match[2]]))
}
const devEnv = dotEnv('.env')
for (const [key, value] of Object.entries(dotEnv('.env.test'))) {
  if (process.env[key] === undefined || process.env[key] === devEnv[key]) process.env[key] = value
}

createIgnitor()
  .testRunner()
  .configure(async (app) => {
    const { runnerHooks, ...config } = await import('../tests/bootstrap.js')

    processCLIArgs(process.argv.splice(2))
    configure({
      ...app.rcFile.tests,
      ...config,
      ...{
        setup: runnerHooks.setup,
        teardown: runnerHooks.teardown.concat([() => terminateWithin(app)]),
      },
    })
  })
  .run(() => run())
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
  .finally(exitDespiteLeaks)

/**
 * Teardown closed every connection the app opened. Anything still open now (a socket a test
 * leaked when it failed half-way) would keep the runner alive after it printed its result, so
 * name what is left and exit with the run's code. The timer is unref'd: a clean run exits at once.
 */
function exitDespiteLeaks() {
  setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((name) => name !== 'Timeout')
    console.error(`Test runner: still open after teardown (${open.join(', ')}); exiting`)
    process.exit()
  }, 3000).unref()
}
