import { test } from '@japa/runner'
import { QueueEvents } from 'bullmq'
import env from '#start/env'
import { dispatch, redisConnection, startWorkers } from '#core/queue'

test.group('Background jobs', () => {
  test('a worker runs a job by its stable name and returns its result', async ({
    assert,
    cleanup,
  }) => {
    const workers = await startWorkers(1)
    const events = new QueueEvents('default', {
      connection: redisConnection(),
      prefix: env.get('QUEUE_PREFIX'),
    })
    cleanup(async () => {
      await Promise.all(workers.map((worker) => worker.close()))
      await events.close()
    })
    await events.waitUntilReady()

    const job = await dispatch('audit.verify_chain', {})
    assert.equal(job.name, 'audit.verify_chain')
    const result = await job.waitUntilFinished(events, 20_000)
    assert.isTrue(result.valid)
    assert.isNumber(result.checked)
  })
})
