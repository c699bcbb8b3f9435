import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { HttpContext } from '@adonisjs/core/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { canonicalJson } from '#core/canonical_json'
import AuditEvent, { type AuditOutcome } from '#audit/models/audit_event'
import auditCheckpoints, { GENESIS_HASH } from '#audit/services/audit_checkpoints'
import { currentActor, type AuditActor } from '#audit/actor'

export { GENESIS_HASH }

/* One advisory-lock key serialises appends, so two writers can never fork the chain. */
export const CHAIN_LOCK = 0x61756469

export type { AuditActor }

/**
 * What happened. `meta` must never hold personal data: record ids and counts, not names,
 * numbers or message text.
 */
export interface AuditEntry {
  action: string
  outcome?: AuditOutcome
  /** Omit inside a request: the request's principal is named (`currentActor()`). */
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

/** The fields a row's hash covers. */
export function chainFieldsOf(event: AuditEvent): ChainFields {
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

export interface VerifiedCheckpoint {
  eventId: number
  takenAt: string
  source: 'database' | 'storage'
}

const DEADLOCK_DETECTED = '40P01'

export type ChainVerdict =
  | { valid: true; checked: number; lastHash: string; checkpoint: VerifiedCheckpoint | null }
  | { valid: false; checked: number; brokenAt: number; reason: string }

export class AuditTrail {
  /** Appends one event. Pass the caller's transaction so the event commits (or not) with the change. */
  async record(entry: AuditEntry, trx?: TransactionClientContract) {
    if (trx) return this.append(entry, trx)
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction((own) => this.append(entry, own))
      } catch (error) {
        // Postgres breaks a lock cycle by aborting one side; this transaction holds nothing but
        // the chain lock it was waiting for, so running it again is safe
        if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt === 3) throw error
      }
    }
  }

  private async append(entry: AuditEntry, trx: TransactionClientContract) {
    const ctx = HttpContext.get()
    const actor = entry.actor ?? currentActor()
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
    event.hash = linkHash(event.prevHash, chainFieldsOf(event))
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
        ? { checked: verdict.checked, checkpointEventId: verdict.checkpoint?.eventId ?? null }
        : { checked: verdict.checked, brokenAt: verdict.brokenAt },
    })
    return verdict
  }

  /**
   * Walks the chain in id order and names the first row whose link or content does not hold;
   * then holds the intact chain against the newest signed checkpoints, which is what catches
   * rows deleted from the tail or a chain rewritten from scratch.
   */
  async verify(batchSize = 2000): Promise<ChainVerdict> {
    const checkpoints = await auditCheckpoints.newest()
    const wanted = new Set(checkpoints.map((c) => c.eventId))
    const hashes = new Map<number, string>()
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
        if (linkHash(prevHash, chainFieldsOf(row)) !== row.hash) {
          return {
            valid: false,
            checked,
            brokenAt: row.id,
            reason: 'row content does not match its hash',
          }
        }
        if (wanted.has(row.id)) hashes.set(row.id, row.hash)
        prevHash = row.hash
        afterId = row.id
        checked++
      }
      if (rows.length < batchSize) break
    }
    const finding = auditCheckpoints.judge(checkpoints, hashes)
    if (!finding.ok)
      return { valid: false, checked, brokenAt: finding.brokenAt, reason: finding.reason }
    const checkpoint = finding.checkpoint
    return {
      valid: true,
      checked,
      lastHash: prevHash,
      checkpoint: checkpoint
        ? { eventId: checkpoint.eventId, takenAt: checkpoint.takenAt, source: checkpoint.source }
        : null,
    }
  }
}

const auditTrail = new AuditTrail()
export default auditTrail
