/**
 * Key-sorted JSON with no whitespace, so a hash or signature over it does not depend on property
 * order or on jsonb's re-ordering. Used by the audit chain and the signed report manifests.
 *
 * Only JSON values are accepted: null, booleans, finite numbers, strings, arrays and plain
 * objects. Anything else (undefined, a Date, NaN, a class instance) would be coerced by
 * JSON.stringify into something the stored copy need not match, so it is refused instead.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$')
}

function encode(value: unknown, path: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value)
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw refused(path, String(value))
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => encode(item, `${path}[${i}]`)).join(',')}]`
  }
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) {
      throw refused(path, prototype?.constructor?.name ?? 'object')
    }
    const record = value as Record<string, unknown>
    const entries = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${encode(record[key], `${path}.${key}`)}`)
    return `{${entries.join(',')}}`
  }
  throw refused(path, typeof value)
}

function refused(path: string, what: string) {
  return new TypeError(`canonicalJson: ${path} is ${what}, which is not a JSON value`)
}
