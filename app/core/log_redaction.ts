/*
 * Log fields that could carry personal data are replaced before a line is written, at any depth
 * (pino's `formatters.log`, config/logger.ts). Keys are compared without case, `_` or `-`, so
 * `full_name`, `fullName` and `Full-Name` are one key.
 */
export const CENSOR = '[redacted]'

/** Keys redacted wherever they appear. */
const KEYS = new Set([
  'name',
  'firstname',
  'lastname',
  'fullname',
  'legalname',
  'profilename',
  'displayname',
  'username',
  'email',
  'phone',
  'address',
  'ip',
  'ips',
  'forwarded',
  'xforwardedfor',
  'xrealip',
  'password',
  'token',
  'secret',
  'totp',
  'code',
  'body',
  'text',
  'messagetext',
  'caption',
  'reason',
  'reasons',
  'note',
  'notes',
  'comment',
  'waid',
  'igsid',
  'authorization',
  'cookie',
  'setcookie',
])

/** Key endings that name the same things (`contactEmail`, `remoteAddress`, `objectionReason`). */
const ENDINGS = ['email', 'phone', 'address', 'password', 'secret', 'reason', 'notes']

/** Deeper than this a value is cut off rather than walked: logs never need it. */
const MAX_DEPTH = 12

function isSensitive(key: string) {
  const normal = key.toLowerCase().replace(/[-_]/g, '')
  return KEYS.has(normal) || ENDINGS.some((ending) => normal.endsWith(ending))
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  // Errors go to pino's own serializer untouched
  if (value === null || typeof value !== 'object' || value instanceof Error) return value
  if (depth > MAX_DEPTH || seen.has(value)) return CENSOR
  seen.add(value)
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen))
  if (value instanceof Date) return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSensitive(key) ? CENSOR : redact(item, depth + 1, seen)
  }
  return copy
}

/** A copy of a log line's fields with every personal-data field replaced, at any depth. */
export function redactLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redact(fields, 0, new WeakSet()) as Record<string, unknown>
}
