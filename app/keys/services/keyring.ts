import { hkdfSync, randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import keysConfig from '#config/keys'
import { auditedWrite } from '#audit/services/audited_write'
import { kms, kmsFor } from '#keys/kms/main'
import { KmsError, type EncryptionContext } from '#keys/kms/provider'
import { CiphertextInvalid, KeyDestroyed, KeyRetired, KmsUnavailable } from '#keys/errors'
import { openGcm, sealGcm } from '#keys/services/aead'
import { KeyCache, type KeyCacheOptions } from '#keys/services/key_cache'
import KmsKey, { type KmsKeyState } from '#keys/models/kms_key'
import DataKey, { type DataKeyState } from '#keys/models/data_key'
import SubjectKey from '#keys/models/subject_key'
import destroyedKeys from '#keys/services/destroyed_keys'

/** `platform` for platform-level personal data (staff accounts), `merchant:<id>` otherwise. */
export function scopeName(merchantId: number | null) {
  return merchantId === null ? 'platform' : `merchant:${merchantId}`
}

export function dataKeyContext(scope: string, version: number): EncryptionContext {
  return { scope, purpose: 'data-key', version: String(version) }
}

export function indexRootContext(scope: string): EncryptionContext {
  return { scope, purpose: 'blind-index' }
}

export function subjectKeyAad(scope: string, subjectRef: string, version: number) {
  return Buffer.from(`subject-key/v1\n${scope}\n${subjectRef}\n${version}`)
}

/** What this process knows about a scope; refreshed from the database every few seconds. */
export interface ScopeView {
  name: string
  merchantId: number | null
  provider: 'local' | 'aws'
  kmsKeyRowId: number
  keyId: string
  state: KmsKeyState
  currentVersion: number
  versions: Map<number, DataKeyState>
  revocationEpoch: number
  loadedAt: number
}

/** Maps a provider failure onto what the caller should answer. */
export function kmsFailure(error: unknown, scope: string): Error {
  if (!(error instanceof KmsError)) return error as Error
  switch (error.failure) {
    case 'key_unusable':
      return new KeyDestroyed(scope === 'platform' ? 'platform' : 'merchant')
    case 'invalid_ciphertext':
      return new CiphertextInvalid('the wrapped key does not open under its KMS key and context')
    default:
      return new KmsUnavailable(error.kmsCode)
  }
}

const SEP = '\x1f'

/*
 * Cache ids name the scope's KMS key row as well as the scope: a scope whose rows vanished (a
 * rolled-back transaction) and were provisioned again can never be served a stale key.
 */
export function dataKeyCacheId(scope: string, kmsKeyRowId: number, version: number) {
  return `dk:${scope}${SEP}${kmsKeyRowId}${SEP}${version}`
}

/**
 * The key hierarchy: scope KMS key -> versioned data keys -> subject keys, plus the blind-index
 * root. Unwrapped keys live only in `cache`; the KMS is called on a miss, never per field.
 */
export class Keyring {
  readonly cache: KeyCache
  private views = new Map<string, ScopeView>()
  /** Last revocation epoch seen per scope, kept across view reloads. */
  private epochs = new Map<string, number>()
  private readonly scopeRefreshMs: number

  constructor(options: { scopeRefreshMs?: number; cache?: KeyCacheOptions } = {}) {
    this.cache = new KeyCache({ ...(options.cache ?? keysConfig.cache) })
    this.cache.startSweeping(keysConfig.cache.sweepMs)
    this.scopeRefreshMs = options.scopeRefreshMs ?? keysConfig.scopeRefreshMs
  }

  /** The scope's view; provisions its KMS key and first data key when `create` is set. */
  async scope(merchantId: number | null, create: true): Promise<ScopeView>
  async scope(merchantId: number | null, create: boolean): Promise<ScopeView | null>
  async scope(merchantId: number | null, create: boolean) {
    const name = scopeName(merchantId)
    const cached = this.views.get(name)
    if (cached && Date.now() - cached.loadedAt < this.scopeRefreshMs) return cached
    const view = (await this.loadScope(name)) ?? (create ? await this.provision(merchantId) : null)
    if (!view) return null
    // Another process destroyed a subject key of this scope: drop every cached subject key
    const knownEpoch = this.epochs.get(name)
    if (knownEpoch !== undefined && knownEpoch !== view.revocationEpoch) {
      this.cache.evictPrefix(`sk:${name}${SEP}`)
    }
    this.epochs.set(name, view.revocationEpoch)
    if (view.state !== 'enabled') this.evictScope(name)
    this.views.set(name, view)
    return view
  }

  private async loadScope(name: string): Promise<ScopeView | null> {
    const key = await KmsKey.findBy('scope', name)
    if (!key) return null
    const versions = await DataKey.query()
      .where('kms_key_id', key.id)
      .select('version', 'state')
      .orderBy('version')
    const usable = versions.filter((v) => v.state === 'active')
    return {
      name,
      merchantId: key.merchantId,
      provider: key.provider,
      kmsKeyRowId: key.id,
      keyId: key.keyId,
      state: key.state,
      currentVersion: usable.length ? usable[usable.length - 1].version : 0,
      versions: new Map(versions.map((v) => [v.version, v.state])),
      revocationEpoch: key.revocationEpoch,
      loadedAt: Date.now(),
    }
  }

  /** Creates the scope's KMS key (aws: CreateKey + alias), data key v1 and blind-index root. */
  private async provision(merchantId: number | null): Promise<ScopeView> {
    const name = scopeName(merchantId)
    const provider = kms()
    await auditedWrite(
      async (trx) => {
        await trx.rawQuery('SELECT pg_advisory_xact_lock(hashtext(?))', [`keys:${name}`])
        if (await KmsKey.query({ client: trx }).where('scope', name).first()) return null
        try {
          const configured =
            name === 'platform' && provider.name === 'aws'
              ? keysConfig.aws.platformKeyId
              : undefined
          const alias = `${keysConfig.aws.aliasPrefix}/${name.replace(':', '-')}`
          const info = configured
            ? await provider.describeKey(configured)
            : await provider.createKey(alias, `Conversera Privacy Hub keys for ${name}`)
          const dataKey = await provider.generateDataKey(info.arn, dataKeyContext(name, 1))
          const indexRoot = await provider.generateDataKey(info.arn, indexRootContext(name))
          const kmsKey = await KmsKey.create(
            {
              scope: name,
              merchantId,
              provider: provider.name,
              keyId: info.arn,
              keyAlias: configured ?? alias,
              state: 'enabled',
              indexRootWrapped: indexRoot.wrapped,
              revocationEpoch: 0,
            },
            { client: trx }
          )
          await DataKey.create(
            {
              kmsKeyId: kmsKey.id,
              scope: name,
              version: 1,
              wrapped: dataKey.wrapped,
              state: 'active',
            },
            { client: trx }
          )
          this.cache.put(dataKeyCacheId(name, kmsKey.id, 1), dataKey.plaintext)
          return kmsKey
        } catch (error) {
          throw kmsFailure(error, name)
        }
      },
      // Another process provisioned it first: nothing was created, nothing to record
      (kmsKey) =>
        kmsKey && {
          action: 'keys.scope_provisioned',
          actor: { type: 'system' },
          merchantId,
          target: { type: 'kms_key', id: kmsKey.id },
          meta: { scope: name, provider: provider.name, dataKeyVersion: 1 },
        }
    )
    return (await this.loadScope(name))!
  }

  /** The version that seals new writes, with its key. */
  async currentDataKey(merchantId: number | null) {
    const view = await this.scope(merchantId, true)
    this.assertUsable(view)
    return { version: view.currentVersion, key: await this.dataKey(view, view.currentVersion) }
  }

  /** A data key version for opening a value; refuses destroyed scopes and retired versions. */
  async dataKey(known: ScopeView, version: number): Promise<Buffer> {
    let view = known
    // A version newer than this process's view was made by a rotation elsewhere: look again
    if (!view.versions.has(version)) {
      this.views.delete(view.name)
      view = (await this.scope(view.merchantId, false)) ?? view
    }
    this.assertUsable(view)
    const state = view.versions.get(version)
    if (state === 'retired') throw new KeyRetired(view.name, version)
    if (state === 'destroyed')
      throw new KeyDestroyed(view.merchantId === null ? 'platform' : 'merchant')
    if (!state) throw new CiphertextInvalid(`no data key version ${version} in ${view.name}`)
    return this.cache.through(dataKeyCacheId(view.name, view.kmsKeyRowId, version), async () => {
      const row = await DataKey.query()
        .where('kms_key_id', view.kmsKeyRowId)
        .where('version', version)
        .firstOrFail()
      if (!row.wrapped) throw new KeyRetired(view.name, version)
      try {
        return await kmsFor(view.provider).decrypt(
          view.keyId,
          row.wrapped,
          dataKeyContext(view.name, version)
        )
      } catch (error) {
        throw kmsFailure(error, view.name)
      }
    })
  }

  /** A subject's key: created on first write, `key_destroyed` once erased. */
  async subjectKey(
    merchantId: number | null,
    subjectRef: string,
    create: boolean
  ): Promise<Buffer> {
    const view = create ? await this.scope(merchantId, true) : await this.scope(merchantId, false)
    if (!view) throw new CiphertextInvalid(`no keys exist for ${scopeName(merchantId)}`)
    this.assertUsable(view)
    return this.cache.through(
      `sk:${view.name}${SEP}${view.kmsKeyRowId}${SEP}${subjectRef}`,
      async () => {
        let row = await SubjectKey.query()
          .where('scope', view.name)
          .where('subject_ref', subjectRef)
          .first()
        if (!row && create) row = await this.createSubjectKey(view, subjectRef)
        if (!row) throw new CiphertextInvalid(`no key exists for subject ${subjectRef}`)
        if (!row.wrapped || row.dataKeyVersion === null) throw new KeyDestroyed('subject')
        // A key brought back by restoring a backup taken before its destruction stays destroyed
        if (await destroyedKeys.isDestroyed(row.wrapped)) throw new KeyDestroyed('subject')
        const dataKey = await this.dataKey(view, row.dataKeyVersion)
        try {
          return openGcm(
            dataKey,
            row.wrapped,
            subjectKeyAad(view.name, subjectRef, row.dataKeyVersion)
          )
        } catch {
          throw new CiphertextInvalid('the subject key does not open under its data key')
        }
      }
    )
  }

  private async createSubjectKey(view: ScopeView, subjectRef: string) {
    const version = view.currentVersion
    const dataKey = await this.dataKey(view, version)
    const wrapped = sealGcm(dataKey, randomBytes(32), subjectKeyAad(view.name, subjectRef, version))
    await db.rawQuery(
      `INSERT INTO subject_keys (scope, merchant_id, subject_ref, data_key_version, wrapped, created_at)
       VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (scope, subject_ref) DO NOTHING`,
      [view.name, view.merchantId, subjectRef, version, wrapped]
    )
    return SubjectKey.query().where('scope', view.name).where('subject_ref', subjectRef).first()
  }

  /** The per-scope, per-kind blind-index key: HKDF-SHA256 over the scope's wrapped index root. */
  async indexKey(merchantId: number | null, kind: string): Promise<Buffer> {
    const view = await this.scope(merchantId, true)
    this.assertUsable(view)
    return this.cache.through(`ix:${view.name}${SEP}${view.kmsKeyRowId}${SEP}${kind}`, async () => {
      const row = await KmsKey.findOrFail(view.kmsKeyRowId)
      if (!row.indexRootWrapped) throw new KeyDestroyed('blind-index')
      let root: Buffer
      try {
        root = await kmsFor(view.provider).decrypt(
          view.keyId,
          row.indexRootWrapped,
          indexRootContext(view.name)
        )
      } catch (error) {
        throw kmsFailure(error, view.name)
      }
      return Buffer.from(
        hkdfSync('sha256', root, 'conversera-hub/blind-index/v1', `${view.name}|${kind}`, 32)
      )
    })
  }

  private assertUsable(view: ScopeView) {
    if (view.state !== 'enabled') {
      throw new KeyDestroyed(view.merchantId === null ? 'platform' : 'merchant')
    }
  }

  /** Drops what this process knows about a scope (after rotation or destruction). */
  refresh(name: string) {
    this.views.delete(name)
  }

  evictScope(name: string) {
    this.views.delete(name)
    for (const kind of ['dk', 'sk', 'ix']) this.cache.evictPrefix(`${kind}:${name}${SEP}`)
  }

  evictSubject(name: string, subjectRef: string) {
    this.cache.evictWhere(
      (id) => id.startsWith(`sk:${name}${SEP}`) && id.endsWith(`${SEP}${subjectRef}`)
    )
  }

  /** Forget everything (tests, and the cold-path benchmark). */
  reset() {
    this.views.clear()
    this.epochs.clear()
    this.cache.clear()
  }
}

const keyring = new Keyring()
export default keyring
