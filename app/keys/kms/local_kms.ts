import { randomBytes, randomUUID } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { openGcm, sealGcm } from '#keys/services/aead'
import {
  KmsError,
  type EncryptionContext,
  type KmsKeyInfo,
  type KmsProvider,
} from '#keys/kms/provider'

const BLOB_FORMAT = 0x01

export interface MasterKey {
  version: number
  key: Buffer
}

interface StoredKey {
  /** The key's 32 bytes, sealed under master key `masterVersion`. */
  material: string
  masterVersion: number
  state: 'Enabled' | 'PendingDeletion'
  description: string
  createdAt: string
  deletionDate: string | null
}

interface Keystore {
  format: 1
  keys: Record<string, StoredKey>
  aliases: Record<string, string>
}

export interface LocalKmsOptions {
  /** Directory holding `local_kms.json` (and `local_master.json` when no env master key is set). */
  directory: string
  /** Master keys from the environment; when absent, a key file is created on first run. */
  masterKeys?: MasterKey[]
  /**
   * false = refuse to work without `masterKeys` (production): a master key in a file beside the
   * keystore it protects would hand both to whoever reads the directory.
   */
  allowGeneratedMaster?: boolean
}

/** `KMS_LOCAL_MASTER_KEYS` = `1:<base64 32 bytes>,2:<base64>`; the highest version is current. */
export function parseMasterKeys(spec: string | undefined): MasterKey[] | undefined {
  if (!spec?.trim()) return undefined
  return spec.split(',').map((part) => {
    const [version, material] = part.trim().split(':')
    const key = Buffer.from(material ?? '', 'base64')
    if (!/^\d+$/.test(version) || key.length !== 32) {
      throw new Error(
        'KMS_LOCAL_MASTER_KEYS must be "<version>:<base64 of 32 bytes>", comma-separated'
      )
    }
    return { version: Number(version), key }
  })
}

/** Sorted key=value pairs: the context binds the same way whatever order the caller used. */
function contextAad(keyId: string, context: EncryptionContext) {
  const pairs = Object.keys(context)
    .sort()
    .map((k) => `${k}=${context[k]}`)
  return Buffer.from(`local-kms/v1\n${keyId}\n${pairs.join('\n')}`)
}

/**
 * A KMS that runs inside the hub: per-scope 256-bit keys kept in a keystore file (mode 0600,
 * outside the database so database backups never hold them), each sealed with AES-256-GCM under a
 * versioned master key. Blobs it returns name their key, like AWS ciphertext blobs do:
 * `0x01 | len(keyId) | keyId | iv(12) | tag(16) | ciphertext`, with the context as AAD.
 */
export class LocalKms implements KmsProvider {
  readonly name = 'local' as const
  private readonly keystorePath: string
  private readonly masterPath: string
  private cached?: { mtimeMs: number; size: number; store: Keystore }

  constructor(private readonly options: LocalKmsOptions) {
    this.keystorePath = join(options.directory, 'local_kms.json')
    this.masterPath = join(options.directory, 'local_master.json')
  }

  // ---- master keys ----

  masterKeys(): MasterKey[] {
    if (this.options.masterKeys?.length) return this.options.masterKeys
    if (this.options.allowGeneratedMaster === false) {
      throw new KmsError(
        'refused',
        'MasterKeyNotConfigured',
        'no master key: set KMS_LOCAL_MASTER_KEYS or use an external KMS (KMS_PROVIDER=aws)'
      )
    }
    if (!existsSync(this.masterPath)) {
      this.writePrivate(
        this.masterPath,
        this.serializeMasters([{ version: 1, key: randomBytes(32) }]),
        true
      )
    }
    const parsed = JSON.parse(readFileSync(this.masterPath, 'utf8')) as {
      versions: { version: number; key: string }[]
    }
    return parsed.versions.map((v) => ({ version: v.version, key: Buffer.from(v.key, 'base64') }))
  }

  currentMaster(): MasterKey {
    return this.masterKeys().reduce((a, b) => (b.version > a.version ? b : a))
  }

  /**
   * Master rotation: adds a version to the key file (or uses the highest env version) and
   * re-seals every stored key under it. Data keys wrapped by those keys are untouched.
   */
  async rotateMaster(): Promise<{ masterVersion: number; rewrapped: number }> {
    return this.withLock(() => {
      if (!this.options.masterKeys?.length) {
        const masters = this.masterKeys()
        const next = Math.max(...masters.map((m) => m.version)) + 1
        masters.push({ version: next, key: randomBytes(32) })
        this.writePrivate(this.masterPath, this.serializeMasters(masters), false)
      }
      const current = this.currentMaster()
      const store = this.readStore()
      let rewrapped = 0
      for (const [keyId, entry] of Object.entries(store.keys)) {
        if (entry.masterVersion === current.version) continue
        const material = this.unsealMaterial(keyId, entry)
        entry.material = sealGcm(
          current.key,
          material,
          this.materialAad(keyId, current.version)
        ).toString('base64')
        entry.masterVersion = current.version
        rewrapped++
      }
      this.writeStore(store)
      return { masterVersion: current.version, rewrapped }
    })
  }

  // ---- KmsProvider ----

  async createKey(alias: string, description: string): Promise<KmsKeyInfo> {
    return this.withLock(() => {
      const store = this.readStore()
      // An alias left by an interrupted attempt is reused; one whose key is being deleted is repointed
      const existing = store.aliases[alias]
      if (existing && store.keys[existing]?.state === 'Enabled') {
        return this.info(existing, store.keys[existing])
      }
      const keyId = randomUUID()
      const master = this.currentMaster()
      const entry: StoredKey = {
        material: sealGcm(
          master.key,
          randomBytes(32),
          this.materialAad(keyId, master.version)
        ).toString('base64'),
        masterVersion: master.version,
        state: 'Enabled',
        description,
        createdAt: new Date().toISOString(),
        deletionDate: null,
      }
      store.keys[keyId] = entry
      store.aliases[alias] = keyId
      this.writeStore(store)
      return this.info(keyId, entry)
    })
  }

  async describeKey(keyId: string): Promise<KmsKeyInfo> {
    const store = this.readStore()
    const id = this.resolve(store, keyId)
    return this.info(id, store.keys[id])
  }

  async generateDataKey(keyId: string, context: EncryptionContext) {
    const plaintext = randomBytes(32)
    return { plaintext, wrapped: await this.encrypt(keyId, plaintext, context) }
  }

  async encrypt(keyId: string, plaintext: Buffer, context: EncryptionContext) {
    const store = this.readStore()
    const id = this.resolve(store, keyId)
    const key = this.usableKey(store, id)
    const idBytes = Buffer.from(id)
    return Buffer.concat([
      Buffer.from([BLOB_FORMAT, idBytes.length]),
      idBytes,
      sealGcm(key, plaintext, contextAad(id, context)),
    ])
  }

  async decrypt(keyId: string, wrapped: Buffer, context: EncryptionContext) {
    const store = this.readStore()
    const { id, sealed } = this.parseBlob(wrapped)
    if (keyId && this.resolve(store, keyId) !== id) {
      throw new KmsError(
        'invalid_ciphertext',
        'IncorrectKeyException',
        'the blob belongs to another key'
      )
    }
    const key = this.usableKey(store, id)
    try {
      return openGcm(key, sealed, contextAad(id, context))
    } catch {
      throw new KmsError(
        'invalid_ciphertext',
        'InvalidCiphertextException',
        'the blob or its encryption context does not match'
      )
    }
  }

  async reEncrypt(
    wrapped: Buffer,
    source: { keyId: string; context: EncryptionContext },
    destination: { keyId: string; context: EncryptionContext }
  ) {
    const plaintext = await this.decrypt(source.keyId, wrapped, source.context)
    return this.encrypt(destination.keyId, plaintext, destination.context)
  }

  async scheduleKeyDeletion(keyId: string, pendingWindowDays: number): Promise<KmsKeyInfo> {
    return this.withLock(() => {
      const store = this.readStore()
      const id = this.resolve(store, keyId)
      const entry = store.keys[id]
      if (entry.state !== 'PendingDeletion') {
        entry.state = 'PendingDeletion'
        entry.deletionDate = new Date(Date.now() + pendingWindowDays * 86_400_000).toISOString()
        this.writeStore(store)
      }
      return this.info(id, entry)
    })
  }

  async ping() {
    const store = this.readStore()
    return { keys: Object.keys(store.keys).length, masterVersion: this.currentMaster().version }
  }

  /** Removes keys whose deletion window has passed (AWS does this by itself). Returns their ids. */
  async purgeExpired(now = new Date()): Promise<string[]> {
    return this.withLock(() => {
      const store = this.readStore()
      const expired = Object.entries(store.keys)
        .filter(
          ([, e]) =>
            e.state === 'PendingDeletion' && e.deletionDate && new Date(e.deletionDate) <= now
        )
        .map(([id]) => id)
      if (!expired.length) return []
      for (const id of expired) delete store.keys[id]
      for (const [alias, id] of Object.entries(store.aliases))
        if (expired.includes(id)) delete store.aliases[alias]
      this.writeStore(store)
      return expired
    })
  }

  // ---- internals ----

  private info(keyId: string, entry: StoredKey): KmsKeyInfo {
    return {
      keyId,
      arn: `local:${keyId}`,
      state: entry.state,
      deletionDate: entry.deletionDate ? new Date(entry.deletionDate) : null,
    }
  }

  private resolve(store: Keystore, keyId: string) {
    const id = keyId.startsWith('alias/') ? store.aliases[keyId] : keyId.replace(/^local:/, '')
    if (!id || !store.keys[id]) {
      throw new KmsError('key_unusable', 'NotFoundException', `key ${keyId} does not exist`)
    }
    return id
  }

  private usableKey(store: Keystore, id: string) {
    const entry = store.keys[id]
    if (!entry) throw new KmsError('key_unusable', 'NotFoundException', `key ${id} does not exist`)
    if (entry.state !== 'Enabled') {
      throw new KmsError('key_unusable', 'KMSInvalidStateException', `key ${id} is ${entry.state}`)
    }
    return this.unsealMaterial(id, entry)
  }

  private unsealMaterial(keyId: string, entry: StoredKey) {
    const master = this.masterKeys().find((m) => m.version === entry.masterVersion)
    if (!master) {
      throw new KmsError(
        'refused',
        'KMSInternalException',
        `master key version ${entry.masterVersion} is not configured`
      )
    }
    try {
      return openGcm(
        master.key,
        Buffer.from(entry.material, 'base64'),
        this.materialAad(keyId, entry.masterVersion)
      )
    } catch {
      throw new KmsError(
        'refused',
        'KMSInternalException',
        'the keystore entry does not open under its master key'
      )
    }
  }

  private materialAad(keyId: string, masterVersion: number) {
    return Buffer.from(`local-kms/master/v1\n${keyId}\n${masterVersion}`)
  }

  private parseBlob(blob: Buffer) {
    if (blob.length < 2 || blob[0] !== BLOB_FORMAT || blob.length < 2 + blob[1] + 28) {
      throw new KmsError('invalid_ciphertext', 'InvalidCiphertextException', 'not a local KMS blob')
    }
    const id = blob.subarray(2, 2 + blob[1]).toString()
    return { id, sealed: blob.subarray(2 + blob[1]) }
  }

  private readStore(): Keystore {
    if (!existsSync(this.keystorePath)) return { format: 1, keys: {}, aliases: {} }
    const stat = statSync(this.keystorePath)
    if (this.cached && this.cached.mtimeMs === stat.mtimeMs && this.cached.size === stat.size) {
      return structuredClone(this.cached.store)
    }
    const store = JSON.parse(readFileSync(this.keystorePath, 'utf8')) as Keystore
    this.cached = { mtimeMs: stat.mtimeMs, size: stat.size, store }
    return structuredClone(store)
  }

  private writeStore(store: Keystore) {
    this.writePrivate(this.keystorePath, JSON.stringify(store, null, 1), false)
    this.cached = undefined
  }

  private serializeMasters(masters: MasterKey[]) {
    return JSON.stringify({
      note: 'Local KMS master keys. Keep this file secret and out of backups of the database.',
      versions: masters.map((m) => ({ version: m.version, key: m.key.toString('base64') })),
    })
  }

  /** Atomic replace with mode 0600; `exclusive` refuses to overwrite (first-run creation race). */
  private writePrivate(path: string, content: string, exclusive: boolean) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    if (exclusive) {
      try {
        writeFileSync(path, content, { mode: 0o600, flag: 'wx' })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      return
    }
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, content, { mode: 0o600 })
    renameSync(tmp, path)
  }

  /** Serialises keystore changes across processes (web and worker) with an exclusive lock file. */
  private async withLock<T>(fn: () => T): Promise<T> {
    mkdirSync(this.options.directory, { recursive: true, mode: 0o700 })
    const lockPath = `${this.keystorePath}.lock`
    for (let attempt = 0; ; attempt++) {
      try {
        closeSync(openSync(lockPath, 'wx', 0o600))
        break
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        // A lock older than 30 s belongs to a crashed process
        try {
          if (Date.now() - statSync(lockPath).mtimeMs > 30_000) unlinkSync(lockPath)
        } catch {}
        if (attempt > 500)
          throw new KmsError('unreachable', 'LockTimeout', 'the local keystore is locked')
        await sleep(10)
      }
    }
    try {
      return fn()
    } finally {
      unlinkSync(lockPath)
    }
  }
}
