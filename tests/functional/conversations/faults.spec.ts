import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { queueNamed, runJob } from '#core/queue'
import WebhookEvent from '#conversations/models/webhook_event'
import Message from '#conversations/models/message'
import Customer from '#conversations/models/customer'
import { processJobId as jobIdOf } from '#conversations/events/event_queue'
import { createMerchant } from '#tests/helpers/actors'
import { startServerProcess } from '#tests/helpers/server_process'
import { until } from '#tests/helpers/until'
import {
  appUrl,
  connectTestChannels,
  fanOutJobWith,
  metaFixture,
  metaIds,
  postDelivery,
} from '#tests/helpers/meta_webhooks'

const processJobId = (event: WebhookEvent) =>
  jobIdOf({ id: event.id, receivedAt: event.receivedAt.toMillis() })

/*
 * Faults lose nothing, against real processes: a web process whose Redis is unreachable still
 * stores and acknowledges, and the sweeper enqueues once Redis answers; a worker process killed
 * (SIGKILL) in the middle of a job leaves no partial rows, and another worker finishes the job
 * exactly once.
 */

/*
 * Only the conversations queue: a full worker would also run the scheduled jobs of the others
 * (audit checkpoints write files under STORAGE_PATH that outlive the test database).
 */
function startWorker(): ChildProcess {
  const args = ['ace.js', 'queue:work', '--concurrency=1', '--queues=conversations']
  const child = spawn(process.execPath, args, {
    cwd: app.appRoot.pathname,
    env: { ...process.env, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'ignore'],
  })
  return child
}

async function stopWorker(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

test.group('conversations / faults', () => {
  test('with Redis down the webhook still answers 200 and stores; the sweeper enqueues later', async ({
    assert,
  }) => {
    const ids = metaIds()
    const server = await startServerProcess({ REDIS_PORT: '1' })
    try {
      const started = Date.now()
      const response = await postDelivery(server.url, metaFixture('wa_batch', ids))
      assert.equal(response.status, 200)
      assert.deepEqual(await response.json(), { received: 5, duplicates: 0 })
      assert.isBelow(Date.now() - started, 5000)
    } finally {
      await server.stop()
    }
    const events = await WebhookEvent.query()
      .whereIn('channel_external_id', [ids.pnid, ids.pnid2])
      .orderBy('id')
    assert.lengthOf(events, 5)
    assert.isTrue(events.every((e) => e.state === 'received'))
    const queue = queueNamed('conversations')
    for (const event of events) assert.notExists(await queue.getJob(processJobId(event)))

    // Redis is back (this process reaches it): the sweeper enqueues what no job picked up
    const swept = (await runJob('conversations.sweep_events', { olderThanSeconds: 0 })) as {
      enqueued: number
    }
    assert.isAtLeast(swept.enqueued, 5)
    for (const event of events) {
      const job = await queue.getJob(processJobId(event))
      assert.exists(job, `event ${event.id} enqueued`)
      assert.deepEqual(job!.data, { eventId: event.id })
    }
    // A second sweep does not queue them twice
    await runJob('conversations.sweep_events', { olderThanSeconds: 0 })
    const waiting = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized'])
    const mine = waiting.filter((job) => events.some((e) => job.data?.eventId === e.id))
    assert.lengthOf(mine, 5)
    await Promise.all(mine.map((job) => job.remove()))
  }).timeout(120_000)

  test('a worker killed mid-job leaves nothing half-done; the retry stores the message once', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const ids = metaIds()
    await connectTestChannels(merchant, ids)
    const response = await postDelivery(appUrl(), metaFixture('wa_text', ids))
    assert.equal(response.status, 200)
    const event = await WebhookEvent.query().where('channel_external_id', ids.pnid).firstOrFail()
    const queue = queueNamed('conversations')
    // Queued by the webhook (as a fan-out job the worker turns into the event's own)
    await until(() => fanOutJobWith(event.id), 10_000)

    // Hold the event's row, so the worker is stopped inside its transaction, mid-job
    const blocker = await db.transaction()
    await blocker.from('webhook_events').where('id', event.id).forUpdate().select('id')
    const first = startWorker()
    let second: ChildProcess | null = null
    try {
      await until(async () => {
        const job = await queue.getJob(processJobId(event))
        return (await job?.getState()) === 'active'
      }, 90_000)
      // The worker has locked nothing yet but is waiting inside its transaction: kill it there
      await new Promise((resolve) => setTimeout(resolve, 500))
      await stopWorker(first, 'SIGKILL')
      await blocker.rollback()
      const untouched = await WebhookEvent.findOrFail(event.id)
      assert.equal(untouched.state, 'received')
      assert.lengthOf(await Message.query().where('webhook_event_id', event.id), 0)

      // Another worker finds the stalled job (its lock expired) and runs it again
      second = startWorker()
      const done = await until(async () => {
        const row = await WebhookEvent.find(event.id)
        return row?.state === 'processed' ? row : null
      }, 150_000)
      assert.equal(done.merchantId, merchant.id)
      const messages = await Message.query().where('merchant_id', merchant.id)
      assert.lengthOf(messages, 1)
      assert.equal(messages[0].webhookEventId, event.id)
      assert.lengthOf(await Customer.query().where('merchant_id', merchant.id), 1)
    } finally {
      if (!blocker.isCompleted) await blocker.rollback()
      await stopWorker(first, 'SIGKILL')
      if (second) await stopWorker(second)
    }
  }).timeout(240_000)
})
