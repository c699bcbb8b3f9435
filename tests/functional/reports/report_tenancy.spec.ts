import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { Principal } from '#access/principal'
import { createMerchant, staffUser } from '#tests/helpers/actors'
import reportService from '#reports/services/report_service'
import { visibleReports } from '#reports/services/report_access'

function merchantPrincipal(merchantId: number): Principal {
  return {
    kind: 'user',
    userId: 0,
    tokenId: null,
    merchantId,
    domain: `merchant:${merchantId}`,
    roles: ['merchant_admin'],
    scopes: null,
    label: 'merchant user',
  }
}

test.group('Report tenancy', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test("a merchant principal lists only its own merchant's reports; staff list all", async ({
    assert,
  }) => {
    const a = await createMerchant()
    const b = await createMerchant()
    const forA = await reportService.generate({
      kind: 'access-review',
      merchant: a,
      generatedBy: 't',
    })
    const forB = await reportService.generate({
      kind: 'access-review',
      merchant: b,
      generatedBy: 't',
    })
    const platform = await reportService.generate({ kind: 'access-review', generatedBy: 't' })

    const seenByA = await visibleReports(merchantPrincipal(a.id), ['access-review'])
    const ids = seenByA.map((r) => r.documentId)
    assert.include(ids, forA.documentId)
    assert.notInclude(ids, forB.documentId)
    assert.notInclude(ids, platform.documentId)

    const auditor = await staffUser('auditor')
    const staff: Principal = {
      ...merchantPrincipal(0),
      userId: auditor.id,
      merchantId: null,
      domain: 'platform',
      roles: ['auditor'],
    }
    const staffRows = await visibleReports(staff, ['access-review'])
    const seenByStaff = staffRows.map((r) => r.documentId)
    assert.includeMembers(seenByStaff, [forA.documentId, forB.documentId, platform.documentId])
  })
})
