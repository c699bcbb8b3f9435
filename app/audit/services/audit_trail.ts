import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { HttpContext } from '@adonisjs/core/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { canonicalJson } from '#core/canonical_json'
import AuditEvent, { type ActorType, type AuditOutcome } from '#audit/models/audit_event'

export const GENESIS_HASH = '0'.repeat(64)

/* One advisory-lock key serialises appends, so two writers can never fork the chain. */
const CHAIN_LOCK = 0x61756469

export interface AuditActor {
  type: ActorType
  id?: string | number | null
}

/**
 * What happened. `meta` must never hold personal data: record ids and counts, not names,
 * numbers or message text.
 */
export interface AuditEntry {
  action: string
  outcome?: AuditOutcome
  actor?: AuditActor
  merchantId?: number | null
  target?: { type: string; id: string | number }
  purpose?: string | null
  meta?: Record<string, unknown>
}

type ChainFields = Pick<
  AuditEvent,
  | 'action'
  | 'outcome'
  | 'actorType'
  | 'actorId'
  | 'merchantId'
  | 'targetType'
  | 'targetId'
  | 'purpose'
  | 'requestId'
  | 'meta'
> & { occurredAt: string }

export function linkHash(prevHash: string, fields: ChainFields) {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson(fields))
    .digest('hex')
}

function fieldsOf(event: AuditEvent): ChainFields {
  return {
    occurredAt: event.occurredAt.toUTC().toISO()!,
    action: event.action,
    outcome: event.outcome,
    actorType: event.actorType,
    actorId: event.actorId,
    merchantId: event.merchantId,
    targetType: event.targetType,
    targetId: event.targetId,
    purpose: event.purpose,
    requestId: event.requestId,
    meta: event.meta,
  }
}

function actorFromRequest(ctx: HttpContext | null): AuditActor {
  const user = ctx?.auth?.user as { id: number } | undefined
  return user ? { type: 'user', id: user.id } : { type: 'anonymous' }
}

export type ChainVerdict =
  | { valid: true; checked: number; lastHash: string }
  | { valid: false; checked: number; brokenAt: number; reason: string }

export class AuditTrail {
  /** Appends one event. Pass the caller's transaction so the event commits (or not) with the change. */
  async record(entry: AuditEntry, trx?: TransactionClientContract) {
    if (trx) return this.append(entry, trx)
    return db.transaction((own) => this.append(entry, own))
  }

  private async append(entry: AuditEntry, trx: TransactionClientContract) {
    const ctx = HttpContext.get()
    const actor = entry.actor ?? actorFromRequest(ctx)
    await trx.rawQuery('SELECT pg_advisory_xact_lock(?)', [CHAIN_LOCK])
    const last = await trx.from('audit_events').select('hash').orderBy('id', 'desc').first()

    const event = new AuditEvent()
    event.occurredAt = DateTime.utc()
    event.action = entry.action
    event.outcome = entry.outcome ?? 'success'
    event.actorType = actor.type
    event.actorId = actor.id === undefined || actor.id === null ? null : String(actor.id)
    event.merchantId = entry.merchantId ?? null
    event.targetType = entry.target?.type ?? null
    event.targetId = entry.target ? String(entry.target.id) : null
    event.purpose = entry.purpose ?? null
    event.requestId = ctx?.request.id() ?? null
    // Hash exactly what jsonb will hand back: undefined members dropped, dates as strings
    event.meta = JSON.parse(JSON.stringify(entry.meta ?? {}))
    event.prevHash = last?.hash ?? GENESIS_HASH
    event.hash = linkHash(event.prevHash, fieldsOf(event))
    event.useTransaction(trx)
    await event.save()
    return event
  }

  /** Verifies the chain and records that someone did, with the outcome. */
  async verifyAndRecord(actor?: AuditActor): Promise<ChainVerdict> {
    const verdict = await this.verify()
    await this.record({
      action: 'audit.chain_verified',
      outcome: verdict.valid ? 'success' : 'failure',
      actor,
      meta: verdict.valid
        ? { checked: verdict.checked }
        : { checked: verdict.checked, brokenAt: verdict.brokenAt },
    })
    return verdict
  }

  /** Walks the chain in id order and names the first row whose link or content does not hold. */
  async verify(batchSize = 2000): Promise<ChainVerdict> {
    let prevHash = GENESIS_HASH
    let afterId = 0
    let checked = 0
    for (;;) {
      const rows = await AuditEvent.query().where('id', '>', afterId).orderBy('id').limit(batchSize)
      for (const row of rows) {
        if (row.prevHash !== prevHash) {
          return {
            valid: false,
            checked,
            brokenAt: row.id,
            reason: 'prev_hash does not match the previous row',
          }
        }
        if (linkHash(prevHash, fieldsOf(row)) !== row.hash) {
          return {
            valid: false,
            checked,
            brokenAt: row.id,
            reason: 'row content does not match its hash',
          }
        }
        prevHash = row.hash
        afterId = row.id
        checked++
      }
      if (rows.length < batchSize) return { valid: true, checked, lastHash: prevHash }
    }
  }
}

const auditTrail = new AuditTrail()
export default auditTrail
