import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { openWith, parseSealed, sealWith, type FieldContext } from '#keys/services/field_cipher'
import { CiphertextInvalid } from '#keys/errors'

const key = randomBytes(32)
const place: FieldContext = {
  merchantId: 7,
  subject: 'customer:42',
  table: 'customers',
  column: 'full_name',
}

function flipByte(stored: string, index: (raw: Buffer) => number) {
  const parsed = parseSealed(stored)
  const raw = Buffer.from(parsed.body, 'base64url')
  raw[index(raw)] ^= 0x01
  return `${parsed.header}.${raw.toString('base64url')}`
}

test.group('Field cipher format', () => {
  test('a sealed value names its format and key version and opens in its own place', ({
    assert,
  }) => {
    const stored = sealWith(key, 'e1.m3', 'Layla Haddad', place)
    assert.match(stored, /^e1\.m3\.[A-Za-z0-9_-]+$/)
    assert.notInclude(stored, 'Layla')
    assert.deepInclude(parseSealed(stored), { kind: 'm', version: 3, header: 'e1.m3' })
    assert.equal(openWith(key, parseSealed(stored), place), 'Layla Haddad')
  })

  test('two seals of one value differ (random 96-bit IV)', ({ assert }) => {
    assert.notEqual(sealWith(key, 'e1.m1', 'same', place), sealWith(key, 'e1.m1', 'same', place))
  })

  test('a ciphertext moved to another {field} fails to open')
    .with([
      { field: 'merchantId', value: 8 },
      { field: 'merchantId', value: null },
      { field: 'subject', value: 'customer:43' },
      { field: 'table', value: 'contacts' },
      { field: 'column', value: 'email' },
    ] as Array<{ field: keyof FieldContext; value: unknown }>)
    .run(({ assert }, row) => {
      const stored = sealWith(key, 'e1.m1', 'secret', place)
      const elsewhere = { ...place, [row.field]: row.value }
      assert.throws(() => openWith(key, parseSealed(stored), elsewhere), /cannot be opened/)
    })

  test('tampering with the {part} is an integrity error with no plaintext')
    .with([
      { part: 'IV', at: () => 3 },
      { part: 'ciphertext', at: () => 14 },
      { part: 'tag', at: (raw: Buffer) => raw.length - 2 },
    ])
    .run(({ assert }, row) => {
      const stored = sealWith(key, 'e1.m1', 'a longer secret value', place)
      const tampered = flipByte(stored, row.at)
      try {
        openWith(key, parseSealed(tampered), place)
        assert.fail('tampered value opened')
      } catch (error) {
        assert.instanceOf(error, CiphertextInvalid)
        assert.equal((error as CiphertextInvalid).code, 'ciphertext_invalid')
      }
    })

  test('rewriting the key version in the header fails authentication', ({ assert }) => {
    const stored = sealWith(key, 'e1.m1', 'secret', place)
    const relabelled = stored.replace(/^e1\.m1\./, 'e1.m2.')
    assert.throws(() => openWith(key, parseSealed(relabelled), place), /integrity/)
  })

  test('a truncated or foreign value is rejected, never half-read', ({ assert }) => {
    assert.throws(() => parseSealed('plain text'), /unknown format/)
    assert.throws(() => parseSealed('e1.x1.abc'), /malformed header/)
    assert.throws(() => openWith(key, parseSealed('e1.m1.AAAA'), place), /truncated/)
  })

  test('the wrong key fails to open', ({ assert }) => {
    const stored = sealWith(key, 'e1.m1', 'secret', place)
    assert.throws(() => openWith(randomBytes(32), parseSealed(stored), place), /integrity/)
  })
})
