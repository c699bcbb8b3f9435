import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import keyring, { type Keyring } from '#keys/services/keyring'
import { CiphertextInvalid } from '#keys/errors'

/**
 * Where a value lives. Every part is bound as AAD, so a ciphertext copied to another merchant,
 * subject, table, column or row fails to open.
 */
export interface FieldContext {
  /** null = platform scope */
  merchantId: number | null
  /** e.g. `customer:42`; set = sealed under that subject's key, else under the scope's data key */
  subject?: string | null
  table: string
  column: string
  /** The row's primary key: every `@encrypted` column sets it. Values outside a table (stored files) have none. */
  row?: string | null
}

/*
 * Stored format (text, so it fits ordinary varchar/text columns):
 *
 *   e1.<k><n>.<base64url(iv[12] | ciphertext | tag[16])>
 *
 *   e1   format version 1: AES-256-GCM, 96-bit random IV, 128-bit tag
 *   k    which key sealed it: `m` = the scope's data key, `s` = the data subject's key
 *   n    that key's version (data key version for `m`; always 1 for `s`)
 *
 * The AAD is the header (`e1.m3`) and the context (with `row:<primary key>` for table columns),
 * newline-joined, so neither the key version nor the place can be changed without failing
 * authentication. Overhead: 28 bytes before base64,
 * plus a header of 6+ characters. The header is readable in SQL, which is how rotation finds rows
 * still sealed under an old version without decrypting anything.
 */
export const FORMAT_PREFIX = 'e1.'

export interface ParsedHeader {
  kind: 'm' | 's'
  version: number
  header: string
  body: string
}

export function parseSealed(stored: string): ParsedHeader {
  const dot = stored.indexOf('.', 3)
  if (!stored.startsWith(FORMAT_PREFIX) || dot < 0) throw new CiphertextInvalid('unknown format')
  const header = stored.slice(0, dot)
  const kind = header[3]
  const version = Number(header.slice(4))
  if ((kind !== 'm' && kind !== 's') || !Number.isInteger(version) || version < 1) {
    throw new CiphertextInvalid('malformed header')
  }
  return { kind, version, header, body: stored.slice(dot + 1) }
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(FORMAT_PREFIX)
}

function aadOf(header: string, ctx: FieldContext) {
  const place = `${header}\n${ctx.merchantId ?? 'platform'}\n${ctx.subject ?? ''}\n${ctx.table}\n${ctx.column}`
  // Appended only when present, so values sealed before rows were bound keep their AAD
  return Buffer.from(ctx.row === null || ctx.row === undefined ? place : `${place}\nrow:${ctx.row}`)
}

export function sealWith(key: Buffer, header: string, plaintext: string, ctx: FieldContext) {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(aadOf(header, ctx))
  const body = Buffer.concat([
    iv,
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ])
  return `${header}.${body.toString('base64url')}`
}

export function openWith(key: Buffer, parsed: ParsedHeader, ctx: FieldContext) {
  const raw = Buffer.from(parsed.body, 'base64url')
  if (raw.length < 28) throw new CiphertextInvalid('truncated')
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
    decipher.setAAD(aadOf(parsed.header, ctx))
    decipher.setAuthTag(raw.subarray(raw.length - 16))
    return Buffer.concat([
      decipher.update(raw.subarray(12, raw.length - 16)),
      decipher.final(),
    ]).toString('utf8')
  } catch {
    throw new CiphertextInvalid('integrity check failed (tampered, or moved to another place)')
  }
}

/** Field-level encryption of personal data with the hub's key hierarchy. */
export class FieldCipher {
  constructor(private readonly keys: Keyring = keyring) {}

  async seal(plaintext: string, ctx: FieldContext): Promise<string> {
    if (ctx.subject) {
      const key = await this.keys.subjectKey(ctx.merchantId, ctx.subject, true)
      return sealWith(key, 'e1.s1', plaintext, ctx)
    }
    const { version, key } = await this.keys.currentDataKey(ctx.merchantId)
    return sealWith(key, `e1.m${version}`, plaintext, ctx)
  }

  async open(stored: string, ctx: FieldContext): Promise<string> {
    const parsed = parseSealed(stored)
    if (parsed.kind === 's') {
      if (!ctx.subject) throw new CiphertextInvalid('sealed for a subject, read without one')
      return openWith(await this.keys.subjectKey(ctx.merchantId, ctx.subject, false), parsed, ctx)
    }
    const view = await this.keys.scope(ctx.merchantId, false)
    if (!view) throw new CiphertextInvalid('no keys exist for this scope')
    return openWith(await this.keys.dataKey(view, parsed.version), parsed, ctx)
  }
}

const fieldCipher = new FieldCipher()
export default fieldCipher
