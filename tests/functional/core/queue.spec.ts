import { test } from '@japa/runner'
import { dispatch, queueEvents, startWorkers } from '#core/queue'

test.group('Background jobs', () => {
  test('a worker runs a job by its stable name and returns its result', async ({
    assert,
    cleanup,
  }) => {
    const workers = await startWorkers(1)
    const events = queueEvents('default')
    // Closed now, so later tests' jobs stay queued; teardown would close them anyway
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
