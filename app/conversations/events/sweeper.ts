import db from '@adonisjs/lucid/services/db'
import { enqueueEvents } from '#conversations/events/event_queue'

const BATCH = 500

/**
 * Enqueues events still `received` some time after they arrived. The job id is the event's, so
 * an event whose job is still queued or running is not queued twice; one whose job was lost
 * (Redis down at the webhook, or emptied) is queued again.
 */
export async function sweepStoredEvents(options: { olderThanSeconds?: number } = {}) {
  const age = Math.max(0, options.olderThanSeconds ?? 60)
  let enqueued = 0
  let after = 0
  for (;;) {
    const rows: { id: number; at: string }[] = await db
      .from('webhook_events')
      .where('state', 'received')
      .where('received_at', '<', db.raw(`now() - make_interval(secs => ?)`, [age]))
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .select('id', db.raw('floor(extract(epoch FROM received_at) * 1000)::bigint AS at'))
    if (rows.length === 0) break
    await enqueueEvents(rows.map((row) => ({ id: row.id, receivedAt: Number(row.at) })))
    enqueued += rows.length
    after = rows[rows.length - 1].id
    if (rows.length < BATCH) break
  }
  return { enqueued }
}
