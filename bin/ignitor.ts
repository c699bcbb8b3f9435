import 'reflect-metadata'
import { copyFileSync, existsSync } from 'node:fs'
import { Ignitor } from '@adonisjs/core'

export const APP_ROOT = new URL('../', import.meta.url)

/*
 * A fresh clone has no .env: outside production and tests, start from the documented development
 * defaults so `node ace …` and `npm run bench:*` work at once (production refuses those secrets).
 */
function ensureDevelopmentEnvFile() {
  const nodeEnv = process.env.NODE_ENV ?? 'development'
  const envFile = new URL('.env', APP_ROOT)
  if (nodeEnv === 'development' && !existsSync(envFile)) {
    copyFileSync(new URL('.env.example', APP_ROOT), envFile)
  }
}

/** Resolves the app's relative imports from the project root, whichever entry point runs. */
function importer(filePath: string) {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/** The one way the web server, ace and the test runner boot the application. */
export function createIgnitor() {
  ensureDevelopmentEnvFile()
  return new Ignitor(APP_ROOT, { importer }).tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.listen('SIGTERM', () => app.terminate())
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
}
