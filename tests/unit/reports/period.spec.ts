import { test } from '@japa/runner'
import { periodRange } from '#reports/period'
import { canonicalJson } from '#core/canonical_json'

test.group('Report periods', () => {
  test('years, halves, quarters and months map to half-open UTC ranges', ({ assert }) => {
    const cases: Array<[string, string, string]> = [
      ['2026', '2026-01-01', '2027-01-01'],
      ['2026-H2', '2026-07-01', '2027-01-01'],
      ['2026H2', '2026-07-01', '2027-01-01'],
      ['2026Q3', '2026-07-01', '2026-10-01'],
      ['2026-Q1', '2026-01-01', '2026-04-01'],
      ['2026-Q4', '2026-10-01', '2027-01-01'],
      ['2026-02', '2026-02-01', '2026-03-01'],
      ['2026-12', '2026-12-01', '2027-01-01'],
    ]
    for (const [period, start, end] of cases) {
      const range = periodRange(period)!
      assert.equal(range.start.toISODate(), start, period)
      assert.equal(range.end.toISODate(), end, period)
      assert.equal(range.start.zoneName, 'UTC')
    }
  })

  test('anything else is not a period', ({ assert }) => {
    for (const text of [
      '26',
      '2026-H3',
      '2026-Q5',
      '2026-13',
      '2026-00',
      'last year',
      '2026-1',
      '202607',
      '2026H3',
    ]) {
      assert.isNull(periodRange(text), text)
    }
  })
})

test.group('Canonical JSON', () => {
  test('does not depend on key order, at any depth', ({ assert }) => {
    const a = canonicalJson({ b: 1, a: { y: [1, { d: 2, c: 3 }], x: null } })
    const b = canonicalJson({ a: { x: null, y: [1, { c: 3, d: 2 }] }, b: 1 })
    assert.equal(a, b)
    assert.equal(a, '{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}')
  })
})
