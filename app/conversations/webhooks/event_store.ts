import db from '@adonisjs/lucid/services/db'
import fieldCipher from '#keys/services/field_cipher'
import WebhookEvent from '#conversations/models/webhook_event'
import type { EventDraft } from '#conversations/webhooks/envelope'
import type { QueuedEvent } from '#conversations/events/event_queue'

/*
 * The webhook's one durable write: `INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
 * so a redelivered or concurrently delivered item inserts nothing. Each payload is sealed under
 * the platform key before the insert (the merchant is not known yet), bound like any `@encrypted`
 * column to its table, column and row id; the ids come from a pool drawn from the table's
 * sequence in blocks, so sealing costs no round trip.
 *
 * Deliveries that arrive while earlier INSERTs are in flight are written together in the next
 * one (group commit): a burst costs Postgres a statement and a commit per round trip, not per
 * delivery, and each delivery is answered once the statement holding its rows has committed.
 * The statements go straight to a pooled pg connection: knex's builder and formatter cost more
 * than the insert itself.
 */

const ID_BLOCK = 256
/* Statements in flight at once; later deliveries wait and go in together. */
const MAX_STATEMENTS = 2
/* Postgres takes at most 65,535 parameters a statement: 6 a row. */
const MAX_ROWS = 2000
const COLUMNS = 6

class IdPool {
  private ids: number[] = []
  private refill: Promise<void> | null = null

  /* Drawn ahead at half a block left, so a delivery rarely waits on the sequence. */
  async take(count: number): Promise<number[]> {
    while (this.ids.length < count) await this.drawBlock(count)
    if (this.ids.length - count < ID_BLOCK / 2) void this.drawBlock(0).catch(() => {})
    return this.ids.splice(0, count)
  }

  private drawBlock(atLeast: number) {
    this.refill ??= this.draw(Math.max(ID_BLOCK, atLeast)).finally(() => (this.refill = null))
    return this.refill
  }

  private async draw(count: number) {
    const result = await db.rawQuery(
      `SELECT nextval(pg_get_serial_sequence(?, 'id'))::int AS id FROM generate_series(1, ?)`,
      [WebhookEvent.table, count]
    )
    this.ids.push(...(result.rows as { id: number }[]).map((row) => row.id))
  }
}

/** A row to insert, its id first. */
export type Row = [number, ...unknown[]]
export interface Inserted {
  id: number
  at: string
}
interface Waiting {
  rows: Row[]
  resolve: (inserted: Inserted[]) => void
  reject: (error: unknown) => void
}

export class GroupInsert {
  private waiting: Waiting[] = []
  private running = 0

  constructor(
    private insert: (rows: Row[]) => Promise<Inserted[]>,
    private limits = { statements: MAX_STATEMENTS, rows: MAX_ROWS }
  ) {}

  /** The rows of `rows` that were inserted (not already there), once committed. */
  write(rows: Row[]): Promise<Inserted[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject })
      this.next()
    })
  }

  private next() {
    while (this.running < this.limits.statements && this.waiting.length > 0) {
      const group = [this.waiting.shift()!]
      let size = group[0].rows.length
      while (this.waiting.length > 0 && size + this.waiting[0].rows.length <= this.limits.rows) {
        size += this.waiting[0].rows.length
        group.push(this.waiting.shift()!)
      }
      this.running++
      this.commit(group).finally(() => {
        this.running--
        this.next()
      })
    }
  }

  private async commit(group: Waiting[]) {
    try {
      const inserted = await this.insert(group.flatMap((waiting) => waiting.rows))
      const byId = new Map(inserted.map((row) => [row.id, row]))
      for (const waiting of group) {
        waiting.resolve(waiting.rows.flatMap((row) => byId.get(row[0]) ?? []))
      }
    } catch (error) {
      if (group.length === 1) return group[0].reject(error)
      // One delivery's failure is not its neighbours': each is tried again alone
      for (const waiting of group) {
        await this.insert(waiting.rows).then(waiting.resolve, waiting.reject)
      }
    }
  }
}

/* A delivery larger than one statement takes several; a retry stores what the first missed. */
async function insertRows(rows: Row[]): Promise<Inserted[]> {
  const inserted: Inserted[] = []
  for (let start = 0; start < rows.length; start += MAX_ROWS) {
    const chunk = rows.slice(start, start + MAX_ROWS)
    const placeholders = chunk.map((_, index) => {
      const at = index * COLUMNS
      return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, 'received', 0, now())`
    })
    inserted.push(
      ...(await directQuery<Inserted>(
        `INSERT INTO webhook_events
           (id, object, kind, dedupe_key, channel_external_id, payload, state, attempts, received_at)
         VALUES ${placeholders.join(', ')}
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id, floor(extract(epoch FROM received_at) * 1000)::bigint AS at`,
        chunk.flat()
      ))
    )
  }
  return inserted
}

/* On the app's own pool, so shutdown and the pool's limits cover it; `$n` parameters. */
async function directQuery<Result>(sql: string, values: unknown[]): Promise<Result[]> {
  const { client } = db.connection().getWriteClient()
  const connection = await client.acquireConnection()
  try {
    const result = await connection.query(sql, values)
    return result.rows
  } finally {
    await client.releaseConnection(connection)
  }
}

const ids = new IdPool()
const writer = new GroupInsert(insertRows)

export interface StoredEvents {
  /** The events this delivery added (duplicates excluded), in id order. */
  events: QueuedEvent[]
  duplicates: number
}

export async function storeEvents(drafts: EventDraft[]): Promise<StoredEvents> {
  if (drafts.length === 0) return { events: [], duplicates: 0 }
  const taken = await ids.take(drafts.length)
  const rows = await Promise.all(
    drafts.map(
      async (draft, index): Promise<Row> => [
        taken[index],
        draft.object,
        draft.kind,
        draft.dedupeKey,
        draft.channelExternalId,
        await fieldCipher.seal(JSON.stringify(draft.envelope), {
          merchantId: null,
          subject: null,
          table: WebhookEvent.table,
          column: 'payload',
          row: String(taken[index]),
        }),
      ]
    )
  )
  const inserted = await writer.write(rows)
  const events = inserted
    .map((row) => ({ id: row.id, receivedAt: Number(row.at) }))
    .sort((a, b) => a.id - b.id)
  return { events, duplicates: drafts.length - events.length }
}
