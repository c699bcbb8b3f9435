import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import auditTrail from '#audit/services/audit_trail'
import { createMerchant } from '#tests/helpers/actors'
import reportService from '#reports/services/report_service'
import { readPdf } from '#tests/helpers/pdf'

test.group('Audit evidence pack', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('states the chain verdict, counts per action and lists denials for the merchant and period', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    await auditTrail.record({ action: 'evidence.read', merchantId: merchant.id })
    await auditTrail.record({ action: 'evidence.read', merchantId: merchant.id })
    const denial = await auditTrail.record({
      action: 'evidence.denied',
      outcome: 'denied',
      merchantId: merchant.id,
    })
    await auditTrail.record({ action: 'evidence.elsewhere' })

    const period = DateTime.utc().toFormat('yyyy-MM')
    const report = await reportService.generate({
      kind: 'audit-evidence',
      merchant,
      period,
      generatedBy: 'Evidence Test',
    })
    const { text } = await readPdf(await reportService.read(report))
    assert.include(text, 'Audit evidence pack')
    assert.include(text, 'Verdict INTACT')
    assert.include(text, 'Events 3')
    assert.include(text, '2 success, 1 denied, 0 failure')
    assert.include(text, 'evidence.read 2')
    assert.include(text, `${denial.id} `)
    assert.notInclude(text, 'evidence.elsewhere')
  })

  test('names the first broken link when the chain was tampered with', async ({ assert }) => {
    const victim = await auditTrail.record({ action: 'evidence.victim' })
    await db.rawQuery('SET LOCAL session_replication_role = replica')
    await db.from('audit_events').where('id', victim.id).update({ outcome: 'failure' })
    await db.rawQuery('SET LOCAL session_replication_role = origin')

    const report = await reportService.generate({
      kind: 'audit-evidence',
      generatedBy: 'Evidence Test',
    })
    const { text } = await readPdf(await reportService.read(report))
    assert.include(text, `Verdict BROKEN at event #${victim.id}`)
  })
})
