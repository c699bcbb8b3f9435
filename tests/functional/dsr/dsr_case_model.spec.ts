import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { blindIndexOf } from '#keys/encrypted_columns'
import DsrCase from '#dsr/models/dsr_case'
import { createMerchant } from '#tests/helpers/actors'

test.group('dsr / case model', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('subject identifiers are sealed under the merchant key and matched by blind index', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const dsrCase = await DsrCase.create({
      reference: `DSR-TEST-${merchant.id}`,
      merchantId: merchant.id,
      type: 'erasure',
      status: 'received',
      source: 'api',
      subjectPhone: '+201001234567',
      subjectEmail: 'Layla@Example.com',
      identityVerified: true,
      receivedOn: DateTime.fromISO('2026-01-31'),
      jurisdiction: 'EG',
      originalDueAt: DateTime.fromISO('2026-03-01'),
      dueAt: DateTime.fromISO('2026-03-01'),
      internalDueAt: DateTime.fromISO('2026-02-22'),
    })
    const raw = await db.from('dsr_cases').where('id', dsrCase.id).firstOrFail()
    assert.match(raw.subject_phone, /^e1\./)
    assert.notInclude(JSON.stringify(raw), '1001234567')
    assert.notInclude(JSON.stringify(raw).toLowerCase(), 'layla')

    const phoneIndex = await blindIndexOf(DsrCase, 'subjectPhone', '00201001234567', merchant.id)
    const found = await DsrCase.query().where('subject_phone_bidx', phoneIndex).firstOrFail()
    assert.equal(found.id, dsrCase.id)
    assert.deepEqual(found.subject, { phone: '+201001234567', email: 'Layla@Example.com' })
    assert.equal(found.dueAt.toISODate(), '2026-03-01')
    assert.isTrue(found.isOpen)

    const otherIndex = await blindIndexOf(DsrCase, 'subjectPhone', '+201001234567', other.id)
    assert.notEqual(otherIndex, phoneIndex, 'the same person indexes differently per merchant')
  })

  test('the database refuses a refused case without a refusal code', async ({ assert }) => {
    const merchant = await createMerchant()
    const dsrCase = await DsrCase.create({
      reference: `DSR-TEST-R${merchant.id}`,
      merchantId: merchant.id,
      type: 'access',
      status: 'received',
      source: 'portal',
      subjectEmail: 'a@b.example',
      identityVerified: true,
      receivedOn: DateTime.fromISO('2026-03-10'),
      jurisdiction: 'EU',
      originalDueAt: DateTime.fromISO('2026-04-10'),
      dueAt: DateTime.fromISO('2026-04-10'),
      internalDueAt: DateTime.fromISO('2026-04-02'),
    })
    await assert.rejects(
      () => db.from('dsr_cases').where('id', dsrCase.id).update({ status: 'refused' }),
      /dsr_cases_refusal_check/
    )
  })
})
