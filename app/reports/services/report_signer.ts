import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import {
  CompactSign,
  calculateJwkThumbprint,
  compactVerify,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose'
import env from '#start/env'
import { storagePath } from '#core/storage'
import { canonicalJson } from '#core/canonical_json'
import { ServiceUnavailable } from '#core/errors'

const ALG = 'ES256'

interface SigningKey {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  publicJwk: JWK
}

/** A key that signed before the last rotation: its public half only, still trusted to verify. */
interface RetiredKey {
  jwk: JWK & { kid: string; retiredAt: string }
  publicKey: CryptoKey
}

interface KeySet {
  current: SigningKey
  retired: RetiredKey[]
  /** The key file's version when read: another process's rotation is picked up on the next use. */
  loadedFrom: string
}

function base64url(bytes: Uint8Array) {
  return Buffer.from(bytes).toString('base64url')
}

/**
 * Signs report manifests with the hub's ES256 key as detached compact JWS (RFC 7515 appendix F:
 * `header..signature`), so the manifest stays readable JSON and the signature travels beside it.
 * Rotation (`reports:rotate-signing-key`) retires the key to a public-only list kept beside it,
 * so reports, receipts and checkpoints signed before still verify, each by its `kid`.
 */
export class ReportSigner {
  private loading?: Promise<KeySet>

  keyPath() {
    const configured = env.get('REPORT_SIGNING_KEY_PATH')
    if (!configured) return storagePath('keys', 'report-signing.jwk')
    return isAbsolute(configured) ? configured : resolve(fileURLToPath(app.appRoot), configured)
  }

  /** The public halves of retired keys, beside the key: `report-signing.retired.json`. */
  retiredPath() {
    return this.keyPath().replace(/(\.jwk)?$/, '.retired.json')
  }

  private async keys() {
    if (this.loading) {
      const [loaded, version] = await Promise.all([this.loading, keyFileVersion(this.keyPath())])
      if (version === loaded.loadedFrom) return loaded
    }
    this.loading = this.loadKeySet().catch((error) => {
      this.loading = undefined
      throw error
    })
    return this.loading
  }

  private async key() {
    const { current } = await this.keys()
    return current
  }

  private async loadKeySet(): Promise<KeySet> {
    // The version first: a rotation while reading is then seen on the next use
    const loadedFrom = await keyFileVersion(this.keyPath())
    const current = await this.loadOrCreate()
    const jwks = await this.retiredJwks()
    const retired = await Promise.all(
      jwks.map(async (jwk) => ({ jwk, publicKey: (await importJWK(jwk, ALG)) as CryptoKey }))
    )
    return { current, retired, loadedFrom }
  }

  private async retiredJwks(): Promise<RetiredKey['jwk'][]> {
    try {
      return JSON.parse(await readFile(this.retiredPath(), 'utf8')).keys
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  }

  private async loadOrCreate(): Promise<SigningKey> {
    const path = this.keyPath()
    try {
      return await this.fromJwk(JSON.parse(await readFile(path, 'utf8')))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    if (app.inProduction) {
      throw new ServiceUnavailable(
        'report_signing_key_missing',
        'The report signing key is not configured (REPORT_SIGNING_KEY_PATH).'
      )
    }
    const jwk = await newPrivateJwk()
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    try {
      // `wx`: if another process made the key first, use theirs rather than overwrite it
      await writeFile(path, JSON.stringify(jwk, null, 2), { mode: 0o600, flag: 'wx' })
      logger.info({ path }, 'generated the report signing key')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      return this.fromJwk(JSON.parse(await readFile(path, 'utf8')))
    }
    return this.fromJwk(jwk)
  }

  /**
   * A new signing key; the old one's public half joins the retired list first, so nothing it
   * signed stops verifying even if the process stops half-way.
   */
  async rotate(now = new Date()) {
    const previous = await this.key()
    const jwks = await this.retiredJwks()
    const retired = jwks.filter((jwk) => jwk.kid !== previous.kid)
    retired.push({ ...previous.publicJwk, kid: previous.kid, retiredAt: now.toISOString() })
    await writeAtomically(this.retiredPath(), JSON.stringify({ keys: retired }, null, 2), 0o644)
    await writeAtomically(this.keyPath(), JSON.stringify(await newPrivateJwk(), null, 2), 0o600)
    this.loading = undefined
    const { kid } = await this.key()
    return { retiredKid: previous.kid, kid }
  }

  private async fromJwk(jwk: JWK): Promise<SigningKey> {
    // Only the curve point: never copy `d` into what is published
    const publicJwk: JWK = {
      kty: jwk.kty,
      crv: jwk.crv,
      x: jwk.x,
      y: jwk.y,
      alg: ALG,
      use: 'sig',
    }
    const kid = await calculateJwkThumbprint(publicJwk)
    return {
      kid,
      privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
      publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
      publicJwk: { ...publicJwk, kid },
    }
  }

  /** The public half, for auditors who verify reports offline. */
  async publicJwk() {
    const key = await this.key()
    return key.publicJwk
  }

  /** Every key a hub signature may carry (JWKS): the current one, then the retired ones. */
  async publicJwks() {
    const { current, retired } = await this.keys()
    return { keys: [current.publicJwk, ...retired.map((key) => key.jwk)] }
  }

  /* The public key a signature names by its `kid`, current or retired; null for any other. */
  private async verifyingKey(jws: string) {
    let kid: string | undefined
    try {
      kid = decodeProtectedHeader(jws).kid
    } catch {
      return null
    }
    const { current, retired } = await this.keys()
    if (kid === current.kid) return current.publicKey
    return retired.find((key) => key.jwk.kid === kid)?.publicKey ?? null
  }

  /** Detached JWS over the canonical JSON of `manifest`. */
  async sign(manifest: object) {
    const key = await this.key()
    const jws = await new CompactSign(new TextEncoder().encode(canonicalJson(manifest)))
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'report-manifest+jws' })
      .sign(key.privateKey)
    const [header, , signature] = jws.split('.')
    return `${header}..${signature}`
  }

  /**
   * Compact JWS with the payload attached, for signed statements that travel on their own
   * (DSR receipts, callback events): `typ` names what it is, so one cannot pass for another.
   */
  async signCompact(payload: object, typ: string) {
    const key = await this.key()
    return new CompactSign(new TextEncoder().encode(canonicalJson(payload)))
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ })
      .sign(key.privateKey)
  }

  /** The payload of a compact JWS this hub signed with `typ`, or null if it does not verify. */
  async verifyCompact(jws: string, typ: string): Promise<Record<string, unknown> | null> {
    const key = await this.verifyingKey(jws)
    if (!key) return null
    try {
      const { payload, protectedHeader } = await compactVerify(jws, key)
      if (protectedHeader.typ !== typ) return null
      return JSON.parse(new TextDecoder().decode(payload))
    } catch {
      return null
    }
  }

  /** True when `jws` is this hub's signature over exactly this manifest. */
  async verify(manifest: object, detachedJws: string) {
    const [header, payload, signature] = detachedJws.split('.')
    if (!header || payload !== '' || !signature) return false
    const key = await this.verifyingKey(detachedJws)
    if (!key) return false
    const attached = `${header}.${base64url(new TextEncoder().encode(canonicalJson(manifest)))}.${signature}`
    try {
      await compactVerify(attached, key)
      return true
    } catch {
      return false
    }
  }
}

/* Inode and mtime: a rotation renames a new file over the key ('none' before it exists). */
function keyFileVersion(path: string) {
  return stat(path).then(
    (file) => `${file.ino}:${file.mtimeMs}`,
    () => 'none'
  )
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true })
  return { ...(await exportJWK(privateKey)), alg: ALG, use: 'sig' }
}

/* Written beside, then renamed over: a reader sees the old file or the new one, never half. */
async function writeAtomically(path: string, content: string, mode: number) {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, content, { mode })
  await rename(temporary, path)
}

const reportSigner = new ReportSigner()
export default reportSigner
