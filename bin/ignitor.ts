import 'reflect-metadata'
import { copyFileSync, existsSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { Ignitor } from '@adonisjs/core'
import type { ApplicationService } from '@adonisjs/core/types'

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

/** How long shutdown waits for the app to release its connections before giving up on them. */
const SHUTDOWN_GRACE_MS = 10_000

/** Runs the app's shutdown (providers, queues, listeners), bounded so a stuck close can't hang us. */
export async function terminateWithin(app: ApplicationService, ms = SHUTDOWN_GRACE_MS) {
  await Promise.race([app.terminate(), sleep(ms, undefined, { ref: false })])
}

/**
 * SIGTERM always ends the process, whatever a leaked handle still holds open: the app shuts
 * down, then the process exits. Stopped by a signal, the work did not finish, so the code is
 * non-zero (128 + 15) unless a failure code is already set. `node ace test`'s runner child gets
 * the signal from ace's exit (execa's cleanup) or with the process group.
 */
function exitOnSigterm(app: ApplicationService) {
  let stopping = false
  app.listen('SIGTERM', async () => {
    if (stopping) return
    stopping = true
    await terminateWithin(app).catch(() => undefined)
    process.exit(process.exitCode || 143)
  })
}

/** The one way the web server, ace and the test runner boot the application. */
export function createIgnitor() {
  ensureDevelopmentEnvFile()
  return new Ignitor(APP_ROOT, { importer }).tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    exitOnSigterm(app)
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
}
