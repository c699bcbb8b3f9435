import { auditedWrite } from '#audit/services/audited_write'
import type { AuditActor } from '#audit/actor'
import { enqueueEvents } from '#conversations/events/event_queue'

/**
 * Sends unroutable events (all, or these ids) through processing again, typically after their
 * channel was connected: they go back to `received` and are enqueued under fresh job ids. Events
 * whose channel is still unknown simply come back `unroutable`. Audited with the count.
 */
export async function replayUnroutable(eventIds?: number[], actor?: AuditActor) {
  const events = await auditedWrite(
    async (trx) => {
      const query = trx
        .from('webhook_events')
        .where('state', 'unroutable')
        .update({ state: 'received', error_code: null })
        .returning(['id', 'received_at'])
      if (eventIds) query.whereIn('id', eventIds)
      const rows = (await query) as Array<{ id: number; received_at: Date }>
      const replayed = rows
        .map((row) => ({ id: row.id, receivedAt: row.received_at.getTime() }))
        .sort((a, b) => a.id - b.id)
      return replayed
    },
    (replayed) => ({
      action: 'conversations.events_replayed',
      actor,
      target: { type: 'webhook_event', id: replayed.length === 1 ? replayed[0].id : 'many' },
      meta: { count: replayed.length, requested: eventIds?.length ?? null },
    })
  )
  if (events.length) await enqueueEvents(events, { replay: true })
  return { replayed: events.length, ids: events.map((event) => event.id) }
}
