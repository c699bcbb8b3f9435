import { createHmac, timingSafeEqual } from 'node:crypto'

/*
 * `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the raw body bytes under the Meta app's
 * secret. Hashing a re-serialised body breaks on Meta's `\uXXXX` and `\/` escapes, so only the
 * bytes received are hashed, and digests are compared in constant time.
 */

export function signatureOf(secret: string, raw: string | Buffer) {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`
}

export type SignatureVerdict = 'valid' | 'missing' | 'invalid'

export function verifySignature(
  raw: string | Buffer,
  header: string | undefined | null,
  secrets: string[]
): SignatureVerdict {
  if (!header) return 'missing'
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim())
  if (!match || secrets.length === 0) return 'invalid'
  const given = Buffer.from(match[1].toLowerCase(), 'hex')
  let valid = false
  // Every secret is tried, so the time taken does not say which one matched
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(raw).digest()
    if (timingSafeEqual(expected, given)) valid = true
  }
  return valid ? 'valid' : 'invalid'
}
