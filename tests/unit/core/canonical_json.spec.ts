import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { canonicalJson } from '#core/canonical_json'

test.group('Canonical JSON refuses what JSON would coerce', () => {
  test('undefined, at the top, in an object or in an array, is refused with its path', ({
    assert,
  }) => {
    assert.throws(() => canonicalJson(undefined), /\$ is undefined/)
    assert.throws(() => canonicalJson({ a: { b: undefined } }), /\$\.a\.b is undefined/)
    assert.throws(() => canonicalJson([1, undefined]), /\$\[1\] is undefined/)
  })

  test('dates, class instances, non-finite numbers and functions are refused', ({ assert }) => {
    assert.throws(() => canonicalJson({ at: new Date(0) }), /\$\.at is Date/)
    assert.throws(() => canonicalJson({ at: DateTime.utc() }), /\$\.at is DateTime/)
    assert.throws(() => canonicalJson({ n: Number.NaN }), /\$\.n is NaN/)
    assert.throws(() => canonicalJson({ n: Infinity }), /is Infinity/)
    assert.throws(() => canonicalJson({ f: () => 1 }), /is function/)
    assert.throws(() => canonicalJson({ big: 1n }), /is bigint/)
  })

  test('JSON values still encode as before, objects without a prototype included', ({ assert }) => {
    const bare = Object.assign(Object.create(null), { b: true, a: 'x' })
    assert.equal(canonicalJson(bare), '{"a":"x","b":true}')
    assert.equal(canonicalJson([null, 1.5, 'é', { z: [] }]), '[null,1.5,"é",{"z":[]}]')
  })
})
