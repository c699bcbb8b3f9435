/*
 * Deliberately failing runs for tests/functional/core/test_runner_exit.spec.ts, which starts
 * `node ace test` on this file (functional suite, so its database is prepared) with RUNNER_EXIT_FIXTURE set. In a normal run the variable is
 * unset and the file declares no tests.
 */
import { test } from '@japa/runner'
import { Worker } from 'bullmq'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import { createWorker, queueEvents, queueNamed, redisConnection } from '#core/queue'
import policyEnforcer from '#access/services/policy_enforcer'

const fixture = process.env.RUNNER_EXIT_FIXTURE

/** What a failing suite leaves behind: every kind of connection the app opens, then an error. */
async function openEverything() {
  await db.rawQuery('select 1')
  await redis.ping()
  await policyEnforcer.ready()
  await queueNamed('runner-fixture').waitUntilReady()
  await createWorker('runner-fixture', async () => null).waitUntilReady()
  await queueEvents('runner-fixture').waitUntilReady()
}

if (fixture === 'failing') {
  test.group('Runner fixture: a suite that fails with connections open', (group) => {
    // Fails in setup, before any cleanup could be registered, like a browser that will not launch
    group.setup(async () => {
      await openEverything()
      throw new Error('fixture: setup failed on purpose')
    })
    test('never runs', () => {})
  })
}

if (fixture === 'leaking') {
  test.group('Runner fixture: a test that leaks a connection the app does not know', () => {
    test('opens its own worker and fails', async () => {
      const worker = new Worker('runner-fixture', async () => null, {
        connection: redisConnection(),
        prefix: process.env.QUEUE_PREFIX,
      })
      await worker.waitUntilReady()
      throw new Error('fixture: failed on purpose')
    })
  })
}

if (fixture === 'hanging') {
  test.group('Runner fixture: a test that never ends', () => {
    test('waits forever', async () => {
      await openEverything()
      console.log('fixture: waiting')
      await new Promise(() => {})
    }).disableTimeout()
  })
}
