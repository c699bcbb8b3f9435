import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { COUNTRIES, hasAdequacy, isCountryCode, isEea, isEu } from '#core/countries'
import { canTransition, InvalidTransition, assertTransition } from '#vendors/services/lifecycle'
import { dueStateOf } from '#vendors/services/transfer_assessments'
import { diffSnapshots } from '#vendors/services/change_notices'
import { subprocessorValidator } from '#vendors/validators/subprocessor'

test.group('vendors / countries', () => {
  test('the ISO 3166-1 list is complete and strict', ({ assert }) => {
    assert.lengthOf(Object.keys(COUNTRIES), 249)
    assert.isTrue(isCountryCode('EG'))
    assert.isTrue(isCountryCode('US'))
    assert.isFalse(isCountryCode('eg'))
    assert.isFalse(isCountryCode('XX'))
    assert.isFalse(isCountryCode('UK'))
    assert.isFalse(isCountryCode('toString'))
    assert.isTrue(isEu('DE'))
    assert.isFalse(isEu('NO'))
    assert.isTrue(isEea('NO'))
    assert.isTrue(hasAdequacy('JP'))
    assert.isFalse(hasAdequacy('EG'))
    assert.isFalse(hasAdequacy('US'))
  })
})

test.group('vendors / lifecycle rules', () => {
  test('only the documented transitions are allowed', ({ assert }) => {
    assert.isTrue(canTransition('proposed', 'notice_published'))
    assert.isTrue(canTransition('notice_published', 'effective'))
    assert.isTrue(canTransition('effective', 'retired'))
    assert.isFalse(canTransition('proposed', 'effective'))
    assert.isFalse(canTransition('retired', 'effective'))
    assert.isFalse(canTransition('effective', 'proposed'))
    assert.throws(() => assertTransition('retired', 'proposed'), /it is final/)
    assert.instanceOf(
      (() => {
        try {
          assertTransition('proposed', 'effective')
        } catch (error) {
          return error
        }
      })(),
      InvalidTransition
    )
  })

  test('TIA due states: overdue, due within 30 days, ok', ({ assert }) => {
    const on = DateTime.fromISO('2026-06-01T00:00:00Z', { zone: 'utc' })
    assert.equal(dueStateOf(on.minus({ days: 1 }), on), 'overdue')
    assert.equal(dueStateOf(on, on), 'due_soon')
    assert.equal(dueStateOf(on.plus({ days: 30 }), on), 'due_soon')
    assert.equal(dueStateOf(on.plus({ days: 31 }), on), 'ok')
  })

  test('a change diff ignores key order and unnoticed fields', ({ assert }) => {
    const before = {
      name: 'A',
      aiTerms: { a: 1, b: 2 },
      updatedAt: '1',
      processingCountries: ['US'],
    }
    const after = {
      name: 'A',
      aiTerms: { b: 2, a: 1 },
      updatedAt: '2',
      processingCountries: ['US', 'IE'],
    }
    assert.deepEqual(diffSnapshots(before, after), [
      { field: 'processingCountries', from: ['US'], to: ['US', 'IE'] },
    ])
  })
})

test.group('vendors / subprocessor validation', () => {
  const valid = {
    name: 'Acme AI',
    service: 'Inference',
    purpose: 'Draft replies for merchants.',
    dataCategories: ['customer.content.message'],
    processingCountries: ['us'],
    transferMechanism: 'scc_module_3',
  }

  test('country codes are upper-cased and checked against ISO 3166-1', async ({ assert }) => {
    const ok = await subprocessorValidator.validate(valid)
    assert.deepEqual(ok.processingCountries, ['US'])
    const error = await subprocessorValidator
      .validate({ ...valid, processingCountries: ['US', 'XX'] })
      .catch((e) => e)
    assert.equal(error.messages[0].field, 'processingCountries')
    assert.match(error.messages[0].message, /Unknown country code "XX"/)
  })

  test('data categories must be dot-path codes', async ({ assert }) => {
    const error = await subprocessorValidator
      .validate({ ...valid, dataCategories: ['Messages'] })
      .catch((e) => e)
    assert.equal(error.messages[0].field, 'dataCategories.0')
  })
})
