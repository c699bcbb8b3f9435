import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { createMerchant, merchantUser } from '#tests/helpers/actors'
import { readPdf } from '#tests/helpers/pdf'
import reportService from '#reports/services/report_service'
import VendorsSeeder from '#database/seeders/50_vendors_seeder'
import DataMapSeeder from '#database/seeders/55_data_map_seeder'
import Subprocessor from '#vendors/models/subprocessor'
import SccAgreement from '#vendors/models/scc_agreement'
import MerchantNotification from '#vendors/models/merchant_notification'
import { isCompliant, recordPdplLicence } from '#tests/helpers/vendors'
import vendors from '#vendors/services/vendors'
import env from '#start/env'
import DataCategory from '#data_map/models/data_category'
import retentionPolicy from '#data_map/services/retention_policy'
import { saveControllerDetails } from '#merchants/services/controller_details'

const TABLES = [
  'subprocessors',
  'subprocessor_change_notices',
  'subprocessor_notice_deliveries',
  'merchant_notifications',
  'outbound_emails',
  'scc_agreements',
  'scc_parties',
  'transfer_impact_assessments',
]

async function counts() {
  const result: Record<string, number> = {}
  for (const table of TABLES) {
    const [row] = await db.from(table).count('* as total')
    result[table] = Number(row.total)
  }
  return result
}

async function seed() {
  await new VendorsSeeder(db.connection()).run()
  await new DataMapSeeder(db.connection()).run()
}

test.group('vendors / seed and reports', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the seed holds the real vendor picture and re-running it changes nothing', async ({
    assert,
  }) => {
    const nile = await createMerchant()
    const delta = await createMerchant()
    await merchantUser(nile, 'merchant_admin')
    await seed()
    const first = await counts()
    await seed()
    assert.deepEqual(await counts(), first)

    const openai = await Subprocessor.findByOrFail('name', 'OpenAI')
    assert.equal(openai.status, 'effective')
    assert.deepEqual(openai.processingCountries, ['US'])
    assert.equal(openai.transferMechanism, 'scc_module_3')
    assert.deepInclude(openai.aiTerms!, { trainsOnCustomerData: false, abuseLogRetentionDays: 30 })
    const all = await Subprocessor.all()
    assert.includeMembers(
      all.map((s) => s.name),
      ['OpenAI', 'Amazon Web Services', 'Meta Platforms']
    )

    const module2 = await SccAgreement.query().where('module', 2).preload('parties').firstOrFail()
    const acceded = module2.parties
      .filter((p) => p.joinedVia === 'accession')
      .map((p) => p.merchantId)
    assert.includeMembers(acceded, [nile.id, delta.id])
    // The seed records no PDPC licence it does not have: the verdict says what is missing
    const verdict = await vendors.isTransferCompliant(openai.id)
    assert.deepEqual(verdict.reasons, [
      'No PDPC transfer licence (PDPL Art. 14) is recorded for transfers from Egypt to OpenAI in United States.',
    ])
    assert.isTrue(verdict.countries.every((c) => c.gdpr.compliant))
    await recordPdplLicence(openai)
    assert.isTrue(await isCompliant(openai.id))
    assert.isTrue(await isCompliant('EG'))
    assert.isTrue(await vendors.isFlowAllowed(nile.id, openai.id))
    // Meta relies on the DPF with its certification on record
    const meta = await Subprocessor.findByOrFail('name', 'Meta Platforms')
    assert.isNotNull(meta.dpfCertificationEntry)
    await recordPdplLicence(meta)
    assert.isTrue(await isCompliant(meta.id))
    // Seeded notices are history: dated when they were sent, not shown to merchants as new
    const notifications = await MerchantNotification.query().where('merchant_id', nile.id)
    assert.lengthOf(notifications, 3)
    for (const notification of notifications) {
      assert.isNotNull(notification.readAt)
      assert.isBelow(notification.createdAt.toMillis(), Date.parse('2026-02-01T00:00:00Z'))
    }
    // The seeded addition notices reached the merchant admin's outbox
    assert.isAbove(first.outbound_emails, 0)
  })

  test('the SCC annexes PDF prints parties, transfer description, TOMs and subprocessors from the registers', async ({
    assert,
  }) => {
    const nile = await createMerchant()
    await seed()
    const report = await reportService.generate({
      kind: 'scc-annexes',
      generatedBy: 'Annex Tester',
    })
    const { text, compact } = await readPdf(await reportService.read(report))

    assert.include(text, 'SCC-M2-2026-01')
    assert.include(text, 'ANNEX I.A')
    assert.include(compact, nile.legalName.replace(/\s+/g, ''))
    assert.include(compact, 'Acceded(Clause7)')
    assert.include(text, 'ANNEX I.B')
    assert.include(compact, 'customer.content.message')
    assert.include(text, 'ANNEX I.C')
    // Annex I.C follows the parties' situation: nobody in the EU, no Art. 27 representative
    assert.include(compact, 'nonehasdesignatedanArt.27representative')
    assert.notInclude(compact, 'representativeisestablished')
    assert.include(text, 'ANNEX II')
    assert.include(compact, 'AES-256-GCM')
    assert.include(text, 'ANNEX III')
    assert.include(compact, 'AmazonWebServices')
    assert.include(text, 'SCC-M3-2026-OPENAI')
  })

  test('per merchant, the annexes show only agreements and accessions of that merchant', async ({
    assert,
  }) => {
    const nile = await createMerchant()
    const delta = await createMerchant()
    await seed()
    const report = await reportService.generate({
      kind: 'scc-annexes',
      merchant: nile,
      generatedBy: 'Annex Tester',
    })
    const { compact } = await readPdf(await reportService.read(report))
    assert.include(compact, nile.legalName.replace(/\s+/g, ''))
    assert.notInclude(compact, delta.legalName.replace(/\s+/g, ''))
    assert.notInclude(compact, 'SCC-M3-2026-OPENAI')
  })

  test('the subprocessor and TIA reports print the register and the six EDPB steps', async ({
    assert,
  }) => {
    await createMerchant()
    await seed()
    for (const vendor of await Subprocessor.all()) await recordPdplLicence(vendor)
    const list = await readPdf(
      await reportService.read(
        await reportService.generate({ kind: 'subprocessors', generatedBy: 'T' })
      )
    )
    assert.include(list.compact, 'OpenAI')
    assert.include(list.compact, 'notrainingoncustomerdata;abuselogsupto30days')
    assert.include(list.compact, 'Compliant')

    const tia = await readPdf(
      await reportService.read(await reportService.generate({ kind: 'tia', generatedBy: 'T' }))
    )
    assert.include(tia.text, 'Egypt (EG)')
    assert.include(tia.text, 'United States (US)')
    for (const step of [1, 2, 3, 4, 5, 6]) assert.include(tia.text, `Step ${step}:`)
  })

  test('the annexes print real addresses and contacts, the merchants’ instructions and safeguards for sensitive data', async ({
    assert,
  }) => {
    const nile = await createMerchant()
    await saveControllerDetails(
      nile,
      {
        contactAddress: '12 Nile Street, Zamalek, Cairo 11211',
        contactEmail: 'privacy@nile-shop.example',
      },
      { type: 'system' }
    )
    await seed()
    const media = await DataCategory.findByOrFail('code', 'customer.content.media')
    await retentionPolicy.setOverride(
      { merchantId: nile.id, dataCategoryId: media.id, durationDays: 30 },
      'merchant'
    )
    const report = await reportService.generate({
      kind: 'scc-annexes',
      merchant: nile,
      generatedBy: 'Annex Tester',
    })
    const { compact } = await readPdf(await reportService.read(report))
    const squeeze = (value: string) => value.replace(/\s+/g, '')
    // I.A: the hub's configured address and DPO, the merchant's own address and contact
    assert.include(compact, squeeze(env.get('PROCESSOR_ADDRESS')))
    assert.include(compact, squeeze(env.get('DPO_EMAIL')))
    assert.include(compact, '12NileStreet,Zamalek,Cairo11211')
    assert.include(compact, 'privacy@nile-shop.example')
    // I.B: the merchant's instruction, and sensitive data with its restrictions and safeguards
    assert.include(compact, 'customer.content.mediakept30days')
    assert.include(compact, 'customer.profile.minor_indicator).Restrictionsandsafeguards:')
    assert.include(compact, 'keptatmost365days')
    // III: each subprocessor's address and privacy contact
    assert.include(compact, '1455 3rd Street, San Francisco'.replace(/\s+/g, ''))
    assert.include(compact, 'privacy@openai.com')
  })
})
