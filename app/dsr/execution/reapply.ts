import db from '@adonisjs/lucid/services/db'
import destroyedKeys, { wrappedKeyHash } from '#keys/services/destroyed_keys'
import keyDestruction from '#keys/services/key_destruction'
import { locate } from '#dsr/execution/locator'
import { eraseSubject } from '#dsr/execution/erasure'
import type { AuditActor } from '#audit/services/audit_trail'

export interface ReappliedErasure {
  merchantId: number
  customerId: number
  keyRestored: boolean
  rows: number
}

/**
 * After restoring a database backup: every subject key listed as destroyed (outside the
 * database) whose customer is back is erased again. A restored key (same wrapped bytes as the
 * destroyed one) is shredded again, the customer's restored rows are deleted, and the outcome
 * is recorded like any erasure. Until this runs, the keyring already refuses the listed keys.
 */
export async function reapplyErasures(actor: AuditActor = { type: 'system' }) {
  const reapplied: ReappliedErasure[] = []
  for (const entry of await destroyedKeys.all()) {
    const scope = /^merchant:(\d+)$/.exec(entry.scope)
    const subject = /^customer:(\d+)$/.exec(entry.subjectRef)
    if (!scope || !subject) continue
    const merchantId = Number(scope[1])
    const customerId = Number(subject[1])
    const rows = await db
      .from('subject_keys')
      .where('scope', entry.scope)
      .where('subject_ref', entry.subjectRef)
      .whereNotNull('wrapped')
      .select('wrapped')
    const keyRestored = rows.some((row) => wrappedKeyHash(row.wrapped) === entry.sha256)
    if (keyRestored) {
      await keyDestruction.destroySubjectKey(merchantId, entry.subjectRef, {
        actor,
        purpose: 'dsr_erasure_reapplied',
      })
    }
    const located = await locate(merchantId, {}, { customers: [customerId] })
    if (!keyRestored && located.total === 0) continue
    await eraseSubject(merchantId, located, { actor, caseReference: null })
    reapplied.push({ merchantId, customerId, keyRestored, rows: located.total })
  }
  return reapplied
}
