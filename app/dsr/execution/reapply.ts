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
 * database) that the restore brought back (same wrapped bytes) is shredded again and that
 * customer's restored rows are deleted, recorded like any erasure. Until this runs, the keyring
 * already refuses the listed keys, so nothing of them can be read in between.
 */
export async function reapplyErasures(actor: AuditActor = { type: 'system' }) {
  const reapplied: ReappliedErasure[] = []
  // A subject may have had several keys destroyed over time: judge each subject once
  const bySubject = new Map<string, { scope: string; subjectRef: string; hashes: Set<string> }>()
  for (const entry of await destroyedKeys.all()) {
    const id = `${entry.scope}\n${entry.subjectRef}`
    if (!bySubject.has(id)) {
      bySubject.set(id, { scope: entry.scope, subjectRef: entry.subjectRef, hashes: new Set() })
    }
    bySubject.get(id)!.hashes.add(entry.sha256)
  }
  for (const entry of bySubject.values()) {
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
    const keyRestored = rows.some((row) => entry.hashes.has(wrappedKeyHash(row.wrapped)))
    // Only the very key that was destroyed proves these rows are the erased person's: a restore
    // rewinds id sequences, so the same customer id may since belong to someone else
    if (!keyRestored) continue
    await keyDestruction.destroySubjectKey(merchantId, entry.subjectRef, {
      actor,
      purpose: 'dsr_erasure_reapplied',
    })
    const located = await locate(merchantId, {}, { customers: [customerId] })
    await eraseSubject(merchantId, located, { actor, caseReference: null })
    reapplied.push({ merchantId, customerId, keyRestored, rows: located.total })
  }
  return reapplied
}
