import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import keysConfig from '#config/keys'
import { NotFound } from '#core/errors'
import type { AuditActor } from '#audit/services/audit_trail'
import { auditedWrite, saveAudited } from '#audit/services/audited_write'
import { kmsFor } from '#keys/kms/main'
import { LocalKms } from '#keys/kms/local_kms'
import keyring, { kmsFailure, scopeName } from '#keys/services/keyring'
import { encryptedColumnsOf, migratedEncryptedModels } from '#keys/encrypted_columns'
import KmsKey from '#keys/models/kms_key'
import DataKey from '#keys/models/data_key'
import KeyRotation from '#keys/models/key_rotation'
import SubjectKey from '#keys/models/subject_key'
import destroyedKeys, { wrappedKeyHash } from '#keys/services/destroyed_keys'

/** Where a subject's ciphertexts live: rows per table and column sealed under their key. */
async function subjectCoverage(merchantId: number | null, subjectRef: string) {
  const [kind, ...rest] = subjectRef.split(':')
  const value = rest.join(':')
  const covered: { table: string; column: string; rows: number }[] = []
  for (const model of await migratedEncryptedModels()) {
    for (const spec of encryptedColumnsOf(model)) {
      if (spec.subject?.kind !== kind) continue
      const query = db
        .from(model.table)
        .where(model.$getColumn(spec.subject.attribute)!.columnName, value)
        .whereNotNull(spec.columnName)
      if (spec.merchant) {
        const merchantColumn = model.$getColumn(spec.merchant)!.columnName
        if (merchantId === null) query.whereNull(merchantColumn)
        else query.where(merchantColumn, merchantId)
      }
      const row = await query.count('* as total').first()
      covered.push({ table: model.table, column: spec.columnName, rows: Number(row?.total ?? 0) })
    }
  }
  return covered
}

/**
 * Crypto-shredding. Destroying a subject key erases that person's sealed data everywhere
 * (backups included, once their copies of the wrapped key expire); destroying a merchant's keys
 * schedules its KMS key for deletion, which makes every wrapped key of the merchant unreadable,
 * in backups too.
 */
export class KeyDestructionService {
  /** DSR erasure. Idempotent: a second call reports the earlier destruction. */
  async destroySubjectKey(
    merchantId: number | null,
    subjectRef: string,
    options: { actor: AuditActor; purpose?: string; caseRef?: string }
  ) {
    const name = scopeName(merchantId)
    const covered = await subjectCoverage(merchantId, subjectRef)
    const result = await auditedWrite(
      async (trx) => {
        const existing = await SubjectKey.query({ client: trx })
          .where('scope', name)
          .where('subject_ref', subjectRef)
          .forUpdate()
          .first()
        if (existing?.destroyedAt)
          return {
            subjectKeyId: existing.id,
            alreadyDestroyed: true,
            destroyedAt: existing.destroyedAt,
          }
        const now = DateTime.utc()
        let row = existing
        if (row) {
          // Listed outside the database first, so a restored backup cannot bring this key back
          if (row.wrapped) {
            await destroyedKeys.record({
              sha256: wrappedKeyHash(row.wrapped),
              scope: name,
              subjectRef,
              destroyedAt: now.toISO()!,
            })
          }
          row.wrapped = null
          row.destroyedAt = now
          row.useTransaction(trx)
          await row.save()
        } else {
          // A tombstone, so a later write for this subject cannot silently make a fresh key
          row = await SubjectKey.create(
            {
              scope: name,
              merchantId,
              subjectRef,
              dataKeyVersion: null,
              wrapped: null,
              destroyedAt: now,
            },
            { client: trx }
          )
        }
        await KmsKey.query({ client: trx }).where('scope', name).increment('revocation_epoch', 1)
        return { subjectKeyId: row.id, alreadyDestroyed: false, destroyedAt: now }
      },
      (outcome) =>
        outcome.alreadyDestroyed
          ? null
          : {
              action: 'keys.subject_key_destroyed',
              actor: options.actor,
              merchantId,
              target: { type: 'subject_key', id: outcome.subjectKeyId },
              purpose: options.purpose ?? 'dsr_erasure',
              meta: {
                scope: name,
                subject: subjectRef,
                caseRef: options.caseRef ?? null,
                covered,
                rowsCovered: covered.reduce((sum, c) => sum + c.rows, 0),
              },
            }
    )
    keyring.evictSubject(name, subjectRef)
    keyring.refresh(name)
    return { ...result, covered }
  }

  /**
   * Merchant termination: schedules deletion of the merchant's KMS key (aws: ScheduleKeyDeletion
   * with the pending window; local: removed by `keys.purge_deleted` after the same window) and
   * drops every wrapped key of the merchant from the database at once.
   */
  async destroyMerchantKeys(
    merchantId: number,
    options: { actor: AuditActor; pendingWindowDays?: number }
  ) {
    const name = scopeName(merchantId)
    const kmsKey = await KmsKey.findBy('scope', name)
    if (!kmsKey) throw new NotFound('merchant key')
    const windowDays = options.pendingWindowDays ?? keysConfig.deletionWindowDays
    let deletionDate: Date | null = kmsKey.deletionDate?.toJSDate() ?? null
    if (kmsKey.state === 'enabled') {
      try {
        const scheduled = await kmsFor(kmsKey.provider).scheduleKeyDeletion(
          kmsKey.keyId,
          windowDays
        )
        deletionDate = scheduled.deletionDate
      } catch (error) {
        throw kmsFailure(error, name)
      }
    }
    const summary = await auditedWrite(
      async (trx) => {
        const now = DateTime.utc()
        const versions = await DataKey.query({ client: trx })
          .where('kms_key_id', kmsKey.id)
          .whereNot('state', 'destroyed')
        await DataKey.query({ client: trx })
          .where('kms_key_id', kmsKey.id)
          .update({ state: 'destroyed', wrapped: null, destroyed_at: now.toJSDate() })
        const subjects = await SubjectKey.query({ client: trx })
          .where('scope', name)
          .whereNull('destroyed_at')
          .update({ wrapped: null, destroyed_at: now.toJSDate() })
        await KeyRotation.query({ client: trx })
          .where('scope', name)
          .whereIn('status', ['queued', 'running'])
          .update({
            status: 'failed',
            error: 'merchant keys destroyed',
            finished_at: now.toJSDate(),
          })
        kmsKey.useTransaction(trx)
        if (kmsKey.state === 'enabled') kmsKey.state = 'pending_deletion'
        kmsKey.deletionDate = deletionDate ? DateTime.fromJSDate(deletionDate) : now
        kmsKey.indexRootWrapped = null
        kmsKey.revocationEpoch += 1
        await kmsKey.save()
        const meta = {
          scope: name,
          provider: kmsKey.provider,
          kmsKeyId: kmsKey.keyId,
          pendingWindowDays: windowDays,
          deletionDate: kmsKey.deletionDate?.toUTC().toISO() ?? null,
          dataKeyVersions: versions.map((v) => v.version),
          subjectKeysDestroyed: Array.isArray(subjects) ? subjects.length : Number(subjects),
        }
        return meta
      },
      (meta) => ({
        action: 'keys.merchant_keys_destroyed',
        actor: options.actor,
        merchantId,
        target: { type: 'kms_key', id: kmsKey.id },
        meta,
      })
    )
    keyring.evictScope(name)
    return summary
  }

  /** After the pending window: local keys are removed from the keystore; every such scope is marked destroyed. */
  async purgeExpired(now = new Date()) {
    // AWS deletes keys itself when the window ends; the local keystore needs this sweep
    const local = kmsFor('local')
    const removed = local instanceof LocalKms ? await local.purgeExpired(now) : []
    const due = await KmsKey.query()
      .where('state', 'pending_deletion')
      .where('deletion_date', '<=', now)
    for (const key of due) {
      key.state = 'destroyed'
      key.destroyedAt = DateTime.utc()
      await saveAudited(key, {
        action: 'keys.kms_key_deleted',
        actor: { type: 'system' },
        merchantId: key.merchantId,
        targetType: 'kms_key',
        meta: { scope: key.scope, provider: key.provider, removedFromKeystore: removed.length },
      })
      keyring.evictScope(key.scope)
    }
    return { destroyed: due.length, removedFromKeystore: removed.length }
  }
}

const keyDestruction = new KeyDestructionService()
export default keyDestruction
