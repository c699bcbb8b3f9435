process.env.NODE_ENV = 'test'
// `node ace test` loads .env (cookie sessions) into the environment before spawning this process;
// tests need the memory store that Japa's session client writes to
process.env.SESSION_DRIVER = 'memory'

import 'reflect-metadata'
import { existsSync, readFileSync } from 'node:fs'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { configure, processCLIArgs, run } from '@japa/runner'

const APP_ROOT = new URL('../', import.meta.url)

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

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
  .testRunner()
  .configure(async (app) => {
    const { runnerHooks, ...config } = await import('../tests/bootstrap.js')

    processCLIArgs(process.argv.splice(2))
    configure({
      ...app.rcFile.tests,
      ...config,
      ...{
        setup: runnerHooks.setup,
        teardown: runnerHooks.teardown.concat([() => app.terminate()]),
      },
    })
  })
  .run(() => run())
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
