import db from '@adonisjs/lucid/services/db'
import fieldCipher from '#keys/services/field_cipher'
import WebhookEvent from '#conversations/models/webhook_event'
import type { EventDraft } from '#conversations/webhooks/envelope'
import type { QueuedEvent } from '#conversations/events/event_queue'

/*
 * The webhook's one durable write: every event of a delivery in a single
 * `INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`, so a redelivered or concurrently
 * delivered item inserts nothing and the request touches Postgres once. Each payload is sealed
 * under the platform key before the insert (the merchant is not known yet), bound like any
 * `@encrypted` column to its table, column and row id; the ids come from a pool drawn from the
 * table's sequence in blocks, so sealing costs no round trip per request.
 */

const POOL_BLOCK = 256

class IdPool {
  private ids: number[] = []
  private refill: Promise<void> | null = null

  async take(count: number): Promise<number[]> {
    while (this.ids.length < count) {
      this.refill ??= this.draw(Math.max(POOL_BLOCK, count)).finally(() => (this.refill = null))
      await this.refill
    }
    return this.ids.splice(0, count)
  }

  private async draw(count: number) {
    const result = await db.rawQuery(
      `SELECT nextval(pg_get_serial_sequence(?, 'id'))::int AS id FROM generate_series(1, ?)`,
      [WebhookEvent.table, count]
    )
    this.ids.push(...(result.rows as { id: number }[]).map((row) => row.id))
  }
}

const pool = new IdPool()

export interface StoredEvents {
  /** The events this delivery added (duplicates excluded), in id order. */
  events: QueuedEvent[]
  duplicates: number
}

export async function storeEvents(drafts: EventDraft[]): Promise<StoredEvents> {
  if (drafts.length === 0) return { events: [], duplicates: 0 }
  const ids = await pool.take(drafts.length)
  const values: unknown[] = []
  const rows: string[] = []
  await Promise.all(
    drafts.map(async (draft, index) => {
      const payload = await fieldCipher.seal(JSON.stringify(draft.envelope), {
        merchantId: null,
        subject: null,
        table: WebhookEvent.table,
        column: 'payload',
        row: String(ids[index]),
      })
      values[index] = [
        ids[index],
        draft.object,
        draft.kind,
        draft.dedupeKey,
        draft.channelExternalId,
        payload,
      ]
    })
  )
  for (let i = 0; i < drafts.length; i++) rows.push(`(?, ?, ?, ?, ?, ?, 'received', 0, now())`)
  const result = await db.rawQuery(
    `INSERT INTO webhook_events
       (id, object, kind, dedupe_key, channel_external_id, payload, state, attempts, received_at)
     VALUES ${rows.join(', ')}
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id, floor(extract(epoch FROM received_at) * 1000)::bigint AS at`,
    (values as unknown[][]).flat()
  )
  const events = (result.rows as { id: number; at: string }[])
    .map((row) => ({ id: row.id, receivedAt: Number(row.at) }))
    .sort((a, b) => a.id - b.id)
  return { events, duplicates: drafts.length - events.length }
}
