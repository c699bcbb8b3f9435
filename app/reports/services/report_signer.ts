import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import {
  CompactSign,
  calculateJwkThumbprint,
  compactVerify,
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

function base64url(bytes: Uint8Array) {
  return Buffer.from(bytes).toString('base64url')
}

/**
 * Signs report manifests with the hub's ES256 key as detached compact JWS (RFC 7515 appendix F:
 * `header..signature`), so the manifest stays readable JSON and the signature travels beside it.
 */
export class ReportSigner {
  private loading?: Promise<SigningKey>

  keyPath() {
    const configured = env.get('REPORT_SIGNING_KEY_PATH')
    if (!configured) return storagePath('keys', 'report-signing.jwk')
    return isAbsolute(configured) ? configured : resolve(fileURLToPath(app.appRoot), configured)
  }

  private key() {
    this.loading ??= this.loadOrCreate().catch((error) => {
      this.loading = undefined
      throw error
    })
    return this.loading
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
    const { privateKey } = await generateKeyPair(ALG, { extractable: true })
    const jwk = { ...(await exportJWK(privateKey)), alg: ALG, use: 'sig' }
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
    const key = await this.key()
    try {
      const { payload, protectedHeader } = await compactVerify(jws, key.publicKey)
      if (protectedHeader.kid !== key.kid || protectedHeader.typ !== typ) return null
      return JSON.parse(new TextDecoder().decode(payload))
    } catch {
      return null
    }
  }

  /** True when `jws` is this hub's signature over exactly this manifest. */
  async verify(manifest: object, detachedJws: string) {
    const key = await this.key()
    const [header, payload, signature] = detachedJws.split('.')
    if (!header || payload !== '' || !signature) return false
    const attached = `${header}.${base64url(new TextEncoder().encode(canonicalJson(manifest)))}.${signature}`
    try {
      const { protectedHeader } = await compactVerify(attached, key.publicKey)
      return protectedHeader.kid === key.kid
    } catch {
      return false
    }
  }
}

const reportSigner = new ReportSigner()
export default reportSigner
