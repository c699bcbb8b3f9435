import { setTimeout as sleep } from 'node:timers/promises'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import keysConfig from '#config/keys'
import { Conflict } from '#core/errors'
import { dispatch, type JobContext } from '#core/queue'
import auditTrail, { type AuditActor } from '#audit/services/audit_trail'
import { auditedWrite } from '#audit/services/audited_write'
import { kms, kmsFor } from '#keys/kms/main'
import { KeyDestroyed } from '#keys/errors'
import { openGcm, sealGcm } from '#keys/services/aead'
import keyring, {
  dataKeyContext,
  indexRootContext,
  dataKeyCacheId,
  kmsFailure,
  scopeName,
  subjectKeyAad,
  type ScopeView,
} from '#keys/services/keyring'
import { openWith, parseSealed, sealWith } from '#keys/services/field_cipher'
import { encryptedColumnsOf, migratedEncryptedModels } from '#keys/encrypted_columns'
import KmsKey from '#keys/models/kms_key'
import DataKey from '#keys/models/data_key'
import KeyRotation from '#keys/models/key_rotation'

/** A column whose values are sealed under a scope's data key (not a subject key). */
export interface RowTarget {
  table: string
  primaryKey: string
  column: string
  /** null = the table has no merchant column (platform-only data) */
  merchantColumn: string | null
}

const SUBJECT_BATCH = 500
const ROW_BATCH = 1000

/** Scope-sealed columns of every model that declares `@encrypted` columns. */
export async function rowTargets(): Promise<RowTarget[]> {
  const targets: RowTarget[] = []
  for (const model of await migratedEncryptedModels()) {
    for (const spec of encryptedColumnsOf(model)) {
      if (spec.subject) continue
      targets.push({
        table: model.table,
        primaryKey: model.$getColumn(model.primaryKey)!.columnName,
        column: spec.columnName,
        merchantColumn: spec.merchant ? model.$getColumn(spec.merchant)!.columnName : null,
      })
    }
  }
  return targets
}

function scopeFilter(target: RowTarget, merchantId: number | null) {
  if (!target.merchantColumn) return merchantId === null ? { sql: 'TRUE', bindings: [] } : null
  return merchantId === null
    ? { sql: `${q(target.merchantColumn)} IS NULL`, bindings: [] }
    : { sql: `${q(target.merchantColumn)} = ?`, bindings: [merchantId] }
}

function q(identifier: string) {
  return `"${identifier.replace(/"/g, '""')}"`
}

/**
 * Data-key rotation. `start` makes a new version that seals writes at once; the `keys.rotate`
 * job then re-wraps subject keys and re-encrypts scope-sealed rows, and only when nothing is left
 * under the old versions retires them (material dropped). Old versions open values until then.
 */
export class KeyRotationService {
  async start(merchantId: number | null, actor: AuditActor, options: { enqueue?: boolean } = {}) {
    const name = scopeName(merchantId)
    await keyring.scope(merchantId, true)
    const { rotation, plaintext, kmsKeyRowId } = await auditedWrite(
      async (trx) => {
        const kmsKey = await KmsKey.query({ client: trx })
          .where('scope', name)
          .forUpdate()
          .firstOrFail()
        if (kmsKey.state !== 'enabled')
          throw new KeyDestroyed(merchantId === null ? 'platform' : 'merchant')
        const unfinished = await KeyRotation.query({ client: trx })
          .where('scope', name)
          .whereIn('status', ['queued', 'running'])
          .first()
        if (unfinished) {
          throw new Conflict(
            'rotation_in_progress',
            `A rotation of ${name} is already ${unfinished.status} (#${unfinished.id}).`
          )
        }
        const versions = await DataKey.query({ client: trx }).where('kms_key_id', kmsKey.id)
        const active = versions.filter((v) => v.state === 'active').map((v) => v.version)
        const next = Math.max(...versions.map((v) => v.version)) + 1
        let generated: { plaintext: Buffer; wrapped: Buffer }
        try {
          generated = await kmsFor(kmsKey.provider).generateDataKey(
            kmsKey.keyId,
            dataKeyContext(name, next)
          )
        } catch (error) {
          throw kmsFailure(error, name)
        }
        await DataKey.query({ client: trx })
          .where('kms_key_id', kmsKey.id)
          .where('state', 'active')
          .update({ state: 'retiring' })
        await DataKey.create(
          {
            kmsKeyId: kmsKey.id,
            scope: name,
            version: next,
            wrapped: generated.wrapped,
            state: 'active',
          },
          { client: trx }
        )
        const created = await KeyRotation.create(
          {
            scope: name,
            merchantId,
            fromVersion: active.length ? Math.max(...active) : next - 1,
            toVersion: next,
            status: 'queued',
            requestedBy:
              actor.id === undefined || actor.id === null
                ? actor.type
                : `${actor.type}:${actor.id}`,
          },
          { client: trx }
        )
        return { rotation: created, plaintext: generated.plaintext, kmsKeyRowId: kmsKey.id }
      },
      (started) => ({
        action: 'keys.rotation_started',
        actor,
        merchantId,
        target: { type: 'key_rotation', id: started.rotation.id },
        meta: {
          scope: name,
          fromVersion: started.rotation.fromVersion,
          toVersion: started.rotation.toVersion,
        },
      })
    )
    keyring.refresh(name)
    keyring.cache.put(dataKeyCacheId(name, kmsKeyRowId, rotation.toVersion), plaintext)
    if (options.enqueue !== false) {
      try {
        await dispatch('keys.rotate', { rotationId: rotation.id })
      } catch (error) {
        // The new version already seals writes; the console shows the run as queued until retried
        logger.error(
          { rotationId: rotation.id, err: { message: (error as Error).message } },
          'could not enqueue key rotation'
        )
      }
    }
    return rotation
  }

  /** The job body: resumable, and safe to run twice (updates only rows still under old versions). */
  async run(rotationId: number, ctx?: Pick<JobContext, 'progress'>, targets?: RowTarget[]) {
    const rotation = await KeyRotation.findOrFail(rotationId)
    if (rotation.status === 'completed') return rotation
    const merchantId = rotation.merchantId
    try {
      const view = await keyring.scope(merchantId, false)
      if (!view) throw new Error(`no keys for ${rotation.scope}`)
      const rowTargetsList = targets ?? (await rowTargets())
      rotation.status = 'running'
      rotation.startedAt ??= DateTime.utc()
      rotation.subjectKeysTotal = await this.pendingSubjectKeys(view, rotation.toVersion)
      rotation.rowsTotal = 0
      for (const target of rowTargetsList)
        rotation.rowsTotal += await this.pendingRows(target, merchantId, rotation.toVersion)
      rotation.subjectKeysDone = 0
      rotation.rowsDone = 0
      await rotation.save()

      const report = async () => {
        await rotation.save()
        await ctx?.progress(rotation.percent, {
          subjectKeysDone: rotation.subjectKeysDone,
          rowsDone: rotation.rowsDone,
        })
      }
      await this.sweep(view, rotation, rowTargetsList, report)
      // Other processes may still seal with the old version until their scope view refreshes
      const settle = rotation.createdAt.toMillis() + keysConfig.scopeRefreshMs + 500 - Date.now()
      if (settle > 0) await sleep(settle)
      keyring.refresh(view.name)
      let stragglers = 1
      while (stragglers > 0) {
        stragglers = await this.sweep(
          (await keyring.scope(merchantId, false))!,
          rotation,
          rowTargetsList,
          report
        )
      }

      const retired = await auditedWrite(
        async (trx) => {
          const versions = await DataKey.query({ client: trx })
            .where('kms_key_id', view.kmsKeyRowId)
            .where('state', 'retiring')
            .where('version', '<', rotation.toVersion)
          await DataKey.query({ client: trx })
            .whereIn(
              'id',
              versions.map((v) => v.id)
            )
            .update({ state: 'retired', wrapped: null, retired_at: DateTime.utc().toJSDate() })
          rotation.status = 'completed'
          rotation.finishedAt = DateTime.utc()
          rotation.useTransaction(trx)
          await rotation.save()
          return versions.map((v) => v.version)
        },
        (retiredVersions) => ({
          action: 'keys.rotation_completed',
          actor: { type: 'system' },
          merchantId,
          target: { type: 'key_rotation', id: rotation.id },
          meta: {
            scope: rotation.scope,
            toVersion: rotation.toVersion,
            retiredVersions,
            subjectKeysRewrapped: rotation.subjectKeysDone,
            rowsReencrypted: rotation.rowsDone,
          },
        })
      )
      keyring.refresh(view.name)
      for (const version of retired) {
        keyring.cache.delete(dataKeyCacheId(view.name, view.kmsKeyRowId, version))
      }
      await ctx?.progress(100)
      return rotation
    } catch (error) {
      rotation.status = 'failed'
      rotation.error = (error as Error).message.slice(0, 500)
      await rotation.save()
      throw error
    }
  }

  private async pendingSubjectKeys(view: ScopeView, toVersion: number) {
    const row = await db
      .from('subject_keys')
      .where('scope', view.name)
      .whereNotNull('wrapped')
      .whereNot('data_key_version', toVersion)
      .count('* as total')
      .first()
    return Number(row?.total ?? 0)
  }

  private async pendingRows(target: RowTarget, merchantId: number | null, toVersion: number) {
    const filter = scopeFilter(target, merchantId)
    if (!filter) return 0
    const result = await db.rawQuery(
      `SELECT count(*) AS total FROM ${q(target.table)} WHERE ${filter.sql} AND ${q(target.column)} LIKE 'e1.m%' AND ${q(target.column)} NOT LIKE ?`,
      [...filter.bindings, `e1.m${toVersion}.%`]
    )
    return Number(result.rows[0].total)
  }

  /** One pass over everything still under an old version; returns how many items it moved. */
  private async sweep(
    view: ScopeView,
    rotation: KeyRotation,
    targets: RowTarget[],
    report: () => Promise<void>
  ) {
    const to = rotation.toVersion
    const newKey = await keyring.dataKey(view, to)
    let moved = 0

    for (let lastId = 0; ; ) {
      const batch = await db
        .from('subject_keys')
        .where('scope', view.name)
        .whereNotNull('wrapped')
        .whereNot('data_key_version', to)
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(SUBJECT_BATCH)
        .select('id', 'subject_ref', 'data_key_version', 'wrapped')
      if (!batch.length) break
      const updates: unknown[] = []
      for (const row of batch) {
        const oldKey = await keyring.dataKey(view, row.data_key_version)
        const plain = openGcm(
          oldKey,
          row.wrapped,
          subjectKeyAad(view.name, row.subject_ref, row.data_key_version)
        )
        updates.push(
          row.id,
          sealGcm(newKey, plain, subjectKeyAad(view.name, row.subject_ref, to)),
          row.data_key_version
        )
      }
      const result = await db.rawQuery(
        `UPDATE subject_keys AS s SET wrapped = v.wrapped, data_key_version = ?, rewrapped_at = now()
         FROM (VALUES ${batch.map(() => '(?::bigint, ?::bytea, ?::int)').join(', ')}) AS v(id, wrapped, old)
         WHERE s.id = v.id AND s.data_key_version = v.old AND s.wrapped IS NOT NULL`,
        [to, ...updates]
      )
      moved += result.rowCount ?? 0
      rotation.subjectKeysDone += result.rowCount ?? 0
      lastId = Number(batch[batch.length - 1].id)
      await report()
    }

    for (const target of targets) {
      const filter = scopeFilter(target, view.merchantId)
      if (!filter) continue
      const pkType = await this.columnType(target.table, target.primaryKey)
      const ctxBase = {
        merchantId: view.merchantId,
        subject: null,
        table: target.table,
        column: target.column,
      }
      for (let last: unknown = null; ; ) {
        const result = await db.rawQuery(
          `SELECT ${q(target.primaryKey)} AS pk, ${q(target.column)} AS value FROM ${q(target.table)}
           WHERE ${filter.sql} AND ${q(target.column)} LIKE 'e1.m%' AND ${q(target.column)} NOT LIKE ?
           ${last === null ? '' : `AND ${q(target.primaryKey)} > ?`}
           ORDER BY ${q(target.primaryKey)} LIMIT ${ROW_BATCH}`,
          [...filter.bindings, `e1.m${to}.%`, ...(last === null ? [] : [last])]
        )
        const rows = result.rows as { pk: unknown; value: string }[]
        if (!rows.length) break
        const updates: unknown[] = []
        for (const row of rows) {
          const parsed = parseSealed(row.value)
          const ctx = { ...ctxBase, row: String(row.pk) }
          const plain = openWith(await keyring.dataKey(view, parsed.version), parsed, ctx)
          updates.push(row.pk, sealWith(newKey, `e1.m${to}`, plain, ctx), row.value)
        }
        const updated = await db.rawQuery(
          `UPDATE ${q(target.table)} AS t SET ${q(target.column)} = v.value
           FROM (VALUES ${rows.map(() => `(?::${pkType}, ?::text, ?::text)`).join(', ')}) AS v(pk, value, old)
           WHERE t.${q(target.primaryKey)} = v.pk AND t.${q(target.column)} = v.old`,
          updates
        )
        moved += updated.rowCount ?? 0
        rotation.rowsDone += updated.rowCount ?? 0
        last = rows[rows.length - 1].pk
        await report()
      }
    }
    return moved
  }

  private async columnType(table: string, column: string) {
    const result = await db.rawQuery(
      `SELECT format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
       WHERE a.attrelid = ?::regclass AND a.attname = ?`,
      [table, column]
    )
    return String(result.rows[0]?.type ?? 'text')
  }

  /**
   * KMS master rotation: re-wraps only the scope-level keys (data keys and blind-index roots)
   * under the newest master / backing key. Subject keys and rows are untouched.
   */
  async rotateMaster(actor: AuditActor) {
    const provider = kms()
    let masterVersion: number | null = null
    let keystoreEntries = 0
    if ('rotateMaster' in provider) {
      const result = await (
        provider as { rotateMaster(): Promise<{ masterVersion: number; rewrapped: number }> }
      ).rotateMaster()
      masterVersion = result.masterVersion
      keystoreEntries = result.rewrapped
    }
    let dataKeys = 0
    let indexRoots = 0
    // Scopes wrapped by another provider (after a KMS_PROVIDER switch) rotate with that provider
    const scopes = await KmsKey.query().where('state', 'enabled').where('provider', provider.name)
    for (const scope of scopes) {
      const keys = await DataKey.query().where('kms_key_id', scope.id).whereNotNull('wrapped')
      for (const dataKey of keys) {
        const context = dataKeyContext(scope.scope, dataKey.version)
        try {
          dataKey.wrapped = await provider.reEncrypt(
            dataKey.wrapped!,
            { keyId: scope.keyId, context },
            { keyId: scope.keyId, context }
          )
        } catch (error) {
          throw kmsFailure(error, scope.scope)
        }
        await dataKey.save()
        dataKeys++
      }
      if (scope.indexRootWrapped) {
        const context = indexRootContext(scope.scope)
        try {
          scope.indexRootWrapped = await provider.reEncrypt(
            scope.indexRootWrapped,
            { keyId: scope.keyId, context },
            { keyId: scope.keyId, context }
          )
        } catch (error) {
          throw kmsFailure(error, scope.scope)
        }
        await scope.save()
        indexRoots++
      }
    }
    const summary = {
      provider: provider.name,
      masterVersion,
      keystoreEntries,
      dataKeys,
      indexRoots,
      scopes: scopes.length,
    }
    await auditTrail.record({ action: 'keys.master_rotated', actor, meta: summary })
    return summary
  }
}

const keyRotation = new KeyRotationService()
export default keyRotation
