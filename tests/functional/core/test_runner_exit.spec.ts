import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import env from '#start/env'

const FIXTURE = 'tests/functional/core/runner_exit_fixture.spec.ts'
/** A safety kill for a runner that hangs (the bug under test), not a timing assertion. */
const SAFETY_KILL_MS = 90_000

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/**
 * Starts `node ace test` on the fixture file, as a developer would, with its own database and
 * queue prefix so it cannot disturb this run. `signalWhen` sends SIGTERM to the ace process once
 * the output contains the given text.
 */
function runFixture(mode: string, signalWhen?: string): Promise<Run & { killed: boolean }> {
  const child = spawn(process.execPath, ['ace', 'test', 'functional', '--files', FIXTURE], {
    cwd: app.appRoot.pathname,
    env: {
      ...process.env,
      RUNNER_EXIT_FIXTURE: mode,
      DB_DATABASE: `${env.get('DB_DATABASE')}_runner`,
      QUEUE_PREFIX: `${env.get('QUEUE_PREFIX')}-runner`,
      // The functional suite starts an HTTP server: not on this run's port
      PORT: String(env.get('PORT') + 7),
      LOG_LEVEL: 'error',
    },
    // Its own process group, so the safety kill reaches the runner ace spawns too
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let signalled = false
  child.stdout!.on('data', (chunk) => {
    stdout += chunk
    if (signalWhen && !signalled && stdout.includes(signalWhen)) {
      signalled = true
      child.kill('SIGTERM')
    }
  })
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  let killed = false
  const safety = setTimeout(() => {
    killed = true
    process.kill(-child.pid!, 'SIGKILL')
  }, SAFETY_KILL_MS)
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(safety)
      resolve({ code, signal, stdout, stderr, killed })
    })
  )
}

test.group('The test runner always exits', () => {
  test('a failing suite that had every connection open exits non-zero, all closed by teardown', async ({
    assert,
  }) => {
    const run = await runFixture('failing')
    assert.isFalse(run.killed, 'the runner hung after the failing suite')
    assert.equal(run.code, 1, run.stderr.slice(-2000))
    assert.include(run.stdout + run.stderr, 'fixture: setup failed on purpose')
    // Teardown released Redis, BullMQ, the policy listener and the pool itself
    assert.notInclude(run.stderr, 'still open after teardown')
  }).timeout(SAFETY_KILL_MS + 10_000)

  test('a test that leaks a connection of its own still lets the runner exit non-zero', async ({
    assert,
  }) => {
    const run = await runFixture('leaking')
    assert.isFalse(run.killed, 'the runner hung on the leaked connection')
    assert.equal(run.code, 1, run.stderr.slice(-2000))
    assert.include(run.stderr, 'still open after teardown')
  }).timeout(SAFETY_KILL_MS + 10_000)

  test('SIGTERM ends a run that is stuck in a test, with a non-zero code', async ({ assert }) => {
    const run = await runFixture('hanging', 'fixture: waiting')
    assert.isFalse(run.killed, 'the runner ignored SIGTERM')
    assert.include(run.stdout, 'fixture: waiting')
    assert.notEqual(run.code, 0)
    assert.isNotNull(run.code)
  }).timeout(SAFETY_KILL_MS + 10_000)
})
