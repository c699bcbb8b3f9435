import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { createMerchant, staffUser } from '#tests/helpers/actors'
import Subprocessor from '#vendors/models/subprocessor'
import ChangeNotice from '#vendors/models/change_notice'
import SccParty from '#vendors/models/scc_party'
import TransferImpactAssessment from '#vendors/models/transfer_impact_assessment'
import sccAgreements from '#vendors/services/scc_agreements'
import db from '@adonisjs/lucid/services/db'
import { queueNamed, runJob } from '#core/queue'
import VendorsSeeder from '#database/seeders/50_vendors_seeder'
import transferAssessments from '#vendors/services/transfer_assessments'
import {
  tiaInput,
  ensureCategories,
  closeObjectionWindow,
  effectiveSubprocessor,
  proposedSubprocessor,
  publishedSubprocessor,
  statusesOf,
} from '#tests/helpers/vendors'

const validForm = {
  name: 'Acme Translation',
  service: 'Machine translation API',
  purpose: 'Translate customer messages for merchants.',
  dataCategories: 'customer.content.message',
  processingCountries: 'us, ie',
  transferMechanism: 'scc_module_3',
  dpaSignedOn: '2026-02-01',
}

test.group('vendors / console', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the register lists, filters and pages subprocessors', async ({ client, assert }) => {
    const analyst = await staffUser('privacy_analyst')
    // A token in the names keeps rows other test files committed out of the way
    const token = `t${Date.now().toString(36)}`
    await effectiveSubprocessor({ name: `Alpha AI ${token}` })
    await proposedSubprocessor({
      name: `Beta EU ${token}`,
      transferMechanism: 'none_eea',
      processingCountries: ['DE'],
      aiProvider: false,
    })

    const all = await client.get('/vendors/subprocessors').qs({ q: token }).actingAs(analyst)
    all.assertStatus(200)
    assert.include(all.text(), `Alpha AI ${token}`)
    assert.include(all.text(), `Beta EU ${token}`)

    const filtered = await client
      .get('/vendors/subprocessors')
      .qs({ q: token, country: 'de' })
      .actingAs(analyst)
    assert.include(filtered.text(), `Beta EU ${token}`)
    assert.notInclude(filtered.text(), `Alpha AI ${token}`)
    const byStatus = await client
      .get('/vendors/subprocessors')
      .qs({ q: token, status: 'effective' })
      .actingAs(analyst)
    assert.notInclude(byStatus.text(), `Beta EU ${token}`)

    const paged = await client
      .get('/vendors/subprocessors')
      .qs({ q: token, perPage: 1 })
      .actingAs(analyst)
    assert.include(paged.text(), 'Page 1 of 2')
    assert.include(paged.text(), `q=${token}`)
  })

  test('the create form keeps the input and shows an unknown country code next to the field', async ({
    client,
    assert,
  }) => {
    const analyst = await staffUser('privacy_analyst')
    await ensureCategories(['customer.content.message'])
    const response = await client
      .post('/vendors/subprocessors')
      .actingAs(analyst)
      .withCsrfToken()
      .header('referer', '/vendors/subprocessors/new')
      .form({ ...validForm, processingCountries: 'US, XX' })
      .redirects(0)
    response.assertStatus(302)
    assert.isNull(await Subprocessor.findBy('name', 'Acme Translation'))

    const form = await client
      .get('/vendors/subprocessors/new')
      .actingAs(analyst)
      .withSession(response.session())
      .withFlashMessages(response.flashMessages())
    assert.include(form.text(), 'Unknown country code &quot;XX&quot;')
    assert.include(form.text(), 'id="processingCountries-error"')
    assert.include(form.text(), 'value="Acme Translation"')
  })

  test('staff register a subprocessor and walk it through its lifecycle from the console', async ({
    client,
    assert,
  }) => {
    await createMerchant()
    await ensureCategories(['customer.content.message'])
    const dpo = await staffUser('dpo')
    const created = await client
      .post('/vendors/subprocessors')
      .actingAs(dpo)
      .withCsrfToken()
      .form(validForm)
      .redirects(0)
    created.assertStatus(302)
    const subprocessor = await Subprocessor.findByOrFail('name', 'Acme Translation')
    assert.deepEqual(subprocessor.processingCountries, ['US', 'IE'])
    assert.equal(subprocessor.status, 'proposed')

    const detail = await client.get(`/vendors/subprocessors/${subprocessor.id}`).actingAs(dpo)
    detail.assertStatus(200)
    assert.include(detail.text(), 'Publish notice to merchants')

    await client
      .post(`/vendors/subprocessors/${subprocessor.id}/transition`)
      .actingAs(dpo)
      .withCsrfToken()
      .form({ to: 'notice_published', objectionWindowDays: '45' })
      .redirects(0)
    await subprocessor.refresh()
    assert.equal(subprocessor.status, 'notice_published')
    const notice = await ChangeNotice.findByOrFail('subprocessor_id', subprocessor.id)
    assert.equal(notice.objectionWindowDays, 45)

    // Too early: the window is open; the error is flashed and nothing changes
    const early = await client
      .post(`/vendors/subprocessors/${subprocessor.id}/transition`)
      .actingAs(dpo)
      .withCsrfToken()
      .header('referer', `/vendors/subprocessors/${subprocessor.id}`)
      .form({ to: 'effective' })
      .redirects(0)
    early.assertStatus(302)
    assert.match(String(early.flashMessages().error), /may object until/)
    await subprocessor.refresh()
    assert.equal(subprocessor.status, 'notice_published')

    await closeObjectionWindow(subprocessor.id)
    await client
      .post(`/vendors/subprocessors/${subprocessor.id}/transition`)
      .actingAs(dpo)
      .withCsrfToken()
      .form({ to: 'effective' })
      .redirects(0)
    await subprocessor.refresh()
    assert.equal(subprocessor.status, 'effective')

    const history = await client.get('/vendors/notices').actingAs(dpo)
    history.assertStatus(200)
    assert.include(history.text(), 'Acme Translation')
  })

  test('an auditor reads the registers but cannot change them', async ({ client, assert }) => {
    const auditor = await staffUser('auditor')
    const { subprocessor } = await publishedSubprocessor()
    const reads = await statusesOf(
      (url) => client.get(url).actingAs(auditor),
      ['/vendors/subprocessors', '/vendors/tias', '/vendors/scc']
    )
    assert.deepEqual(reads, [200, 200, 200])
    const denied = await client
      .post(`/vendors/subprocessors/${subprocessor.id}/transition`)
      .actingAs(auditor)
      .withCsrfToken()
      .form({ to: 'retired' })
      .redirects(0)
    denied.assertStatus(403)
    await subprocessor.refresh()
    assert.equal(subprocessor.status, 'notice_published')
  })

  test('TIA form: errors beside fields, then a draft that is approved into the due list', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const today = DateTime.utc().startOf('day')
    const form = {
      countryCode: 'EG',
      title: 'Transfers to Egypt',
      step1Transfers: 'Merchants send conversations to Cairo.',
      step2Tool: 'SCC Module 2 with docking clause.',
      step3Assessment: 'PDPL 151/2020 and its regulations.',
      step4Measures: 'Encryption with EU-held keys.',
      step5Procedural: 'SCCs incorporated without change.',
      step6Reevaluation: 'Every year and on legal change.',
      riskRating: 'medium',
      supplementaryMeasures: ['encryption_at_rest'],
      reviewedOn: today.minus({ days: 340 }).toISODate(),
      nextReviewOn: today.plus({ days: 20 }).toISODate(),
    }
    const bad = await client
      .post('/vendors/tias')
      .actingAs(dpo)
      .withCsrfToken()
      .header('referer', '/vendors/tias/new')
      .form({ ...form, countryCode: 'ZZ', step3Assessment: 'x'.repeat(8001) })
      .redirects(0)
    bad.assertStatus(302)
    assert.lengthOf(await TransferImpactAssessment.all(), 0)
    const errors = bad.flashMessages().errors as Record<string, string[]>
    assert.match(errors.countryCode[0], /Unknown country code "ZZ"/)
    assert.property(errors, 'step3Assessment')

    await client.post('/vendors/tias').actingAs(dpo).withCsrfToken().form(form).redirects(0)
    const tia = await TransferImpactAssessment.findByOrFail('country_code', 'EG')
    assert.equal(tia.status, 'draft')
    assert.equal(tia.preparedByUserId, dpo.id)
    // Segregation of duties: the preparer cannot approve, a second DPO can
    const own = await client
      .post(`/vendors/tias/${tia.id}/approve`)
      .actingAs(dpo)
      .withCsrfToken()
      .redirects(0)
    own.assertStatus(403)
    await tia.refresh()
    assert.equal(tia.status, 'draft')
    const denial = await db
      .from('audit_events')
      .where({ action: 'access.denied', target_id: String(tia.id) })
      .firstOrFail()
    assert.equal(denial.meta.rule, 'segregation_of_duties')
    const second = await staffUser('dpo')
    await client
      .post(`/vendors/tias/${tia.id}/approve`)
      .actingAs(second)
      .withCsrfToken()
      .redirects(0)
    await tia.refresh()
    assert.equal(tia.status, 'approved')
    assert.equal(tia.approvedByUserId, second.id)
    assert.equal(tia.dueState, 'due_soon')

    const list = await client.get('/vendors/tias').actingAs(dpo)
    assert.include(list.text(), 'Due for review')
    assert.include(list.text(), 'Transfers to Egypt')
    const show = await client.get(`/vendors/tias/${tia.id}`).actingAs(dpo)
    assert.include(show.text(), 'Step 3')
    assert.include(show.text(), `?from=${tia.id}`)
    const again = await client.get('/vendors/tias/new').qs({ from: tia.id }).actingAs(dpo)
    assert.include(again.text(), 'PDPL 151/2020 and its regulations.')
    assert.include(again.text(), `value="${today.toISODate()}"`)
  })

  test('SCC pages: record an agreement and a merchant accession', async ({ client, assert }) => {
    const dpo = await staffUser('dpo')
    const merchant = await createMerchant()
    await client
      .post('/vendors/scc')
      .actingAs(dpo)
      .withCsrfToken()
      .form({
        reference: 'SCC-M2-CONSOLE',
        title: 'Merchants to Conversera',
        module: '2',
        signedOn: '2026-01-10',
        governingLawCountry: 'ie',
        supervisoryAuthority: 'Data Protection Commission (Ireland)',
        transferFrequency: 'Continuous',
        processingNature: 'Conversation handling.',
      })
      .redirects(0)
    const [agreement] = await sccAgreements.list().then((page) => page.all())
    assert.equal(agreement.reference, 'SCC-M2-CONSOLE')
    assert.equal(agreement.governingLawCountry, 'IE')

    await client
      .post(`/vendors/scc/${agreement.id}/accessions`)
      .actingAs(dpo)
      .withCsrfToken()
      .form({ merchantId: String(merchant.id), joinedOn: '2026-02-01' })
      .redirects(0)
    const party = await SccParty.query()
      .where({ agreementId: agreement.id, merchantId: merchant.id })
      .firstOrFail()
    assert.equal(party.joinedVia, 'accession')
    assert.equal(party.joinedOn.toISODate(), '2026-02-01')

    const page = await client.get(`/vendors/scc/${agreement.id}`).actingAs(dpo)
    page.assertStatus(200)
    assert.include(page.text(), merchant.legalName)
    assert.include(page.text(), 'accession, Cl. 7')
  })

  test('every console page renders with the seeded registers', async ({ client, assert }) => {
    await createMerchant()
    await new VendorsSeeder(db.connection()).run()
    const dpo = await staffUser('dpo')
    const openai = await Subprocessor.findByOrFail('name', 'OpenAI')
    const tia = await TransferImpactAssessment.query().firstOrFail()
    const [agreement] = await sccAgreements.list().then((page) => page.all())
    const notice = await ChangeNotice.query().firstOrFail()
    const draft = await transferAssessments.create(tiaInput({ countryCode: 'IN' }), null)
    const pages = [
      '/vendors/subprocessors',
      '/vendors/subprocessors/new',
      `/vendors/subprocessors/${openai.id}`,
      `/vendors/subprocessors/${openai.id}/edit`,
      '/vendors/notices',
      `/vendors/notices/${notice.id}`,
      '/vendors/objections',
      '/vendors/objections?status=',
      '/vendors/scc',
      '/vendors/scc/new',
      `/vendors/scc/${agreement.id}`,
      '/vendors/tias',
      '/vendors/tias/new',
      `/vendors/tias/${tia.id}`,
      `/vendors/tias/${draft.id}/edit`,
    ]
    for (const url of pages) {
      const response = await client.get(url).actingAs(dpo)
      assert.equal(response.status(), 200, url)
    }
    const edit = await client.get(`/vendors/subprocessors/${openai.id}/edit`).actingAs(dpo)
    assert.include(edit.text(), 'value="US"')
    const detail = await client.get(`/vendors/subprocessors/${openai.id}`).actingAs(dpo)
    assert.include(detail.text(), 'No training on customer data')
    assert.include(detail.text(), 'compliant')
  })

  test('a notice page shows delivery per merchant and re-queues pending e-mails', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const dpo = await staffUser('dpo')
    const { notice } = await publishedSubprocessor()
    const page = await client.get(`/vendors/notices/${notice.id}`).actingAs(dpo)
    page.assertStatus(200)
    assert.include(page.text(), merchant.legalName)
    assert.include(page.text(), 'Queue pending e-mails again')

    const queued = await queueNamed('default').getJobCounts('waiting', 'delayed', 'active')
    const resend = await client
      .post(`/vendors/notices/${notice.id}/emails`)
      .actingAs(dpo)
      .withCsrfToken()
      .redirects(0)
    resend.assertStatus(302)
    const after = await queueNamed('default').getJobCounts('waiting', 'delayed', 'active')
    const total = (counts: Record<string, number>) =>
      Object.values(counts).reduce((a, b) => a + b, 0)
    assert.isAbove(total(after), total(queued))

    await runJob('vendors.send_change_notice_emails', { noticeId: notice.id })
    const done = await client.get(`/vendors/notices/${notice.id}`).actingAs(dpo)
    assert.notInclude(done.text(), 'Queue pending e-mails again')
  })

  test('a data category the data map does not know is refused next to the field', async ({
    client,
    assert,
  }) => {
    const analyst = await staffUser('privacy_analyst')
    const response = await client
      .post('/vendors/subprocessors')
      .actingAs(analyst)
      .withCsrfToken()
      .header('referer', '/vendors/subprocessors/new')
      .form({ ...validForm, dataCategories: 'customer.invented.thing' })
      .redirects(0)
    response.assertStatus(302)
    const errors = response.flashMessages().errors as Record<string, string[]>
    assert.match(errors.dataCategories[0], /Unknown data category "customer.invented.thing"/)
    assert.isNull(await Subprocessor.findBy('name', 'Acme Translation'))
  })

  test('in Arabic, a next review before the review date is refused in Arabic next to the field', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const today = DateTime.now()
    const response = await client
      .post('/vendors/tias')
      .actingAs(dpo)
      .withCsrfToken()
      .header('accept-language', 'ar')
      .header('referer', '/vendors/tias/new')
      .form({
        countryCode: 'EG',
        title: 'Egypt hosting',
        riskRating: 'medium',
        reviewedOn: today.toISODate(),
        nextReviewOn: today.minus({ days: 1 }).toISODate(),
      })
      .redirects(0)
    response.assertStatus(302)
    assert.lengthOf(await TransferImpactAssessment.all(), 0)
    const errors = response.flashMessages().errors as Record<string, string[]>
    assert.deepEqual(errors.nextReviewOn, ['يجب أن يكون موعد المراجعة التالية بعد تاريخ المراجعة.'])
    const form = await client
      .get('/vendors/tias/new')
      .actingAs(dpo)
      .header('accept-language', 'ar')
      .withSession(response.session())
      .withFlashMessages(response.flashMessages())
    assert.include(form.text(), 'id="nextReviewOn-error">يجب أن يكون موعد المراجعة التالية')
  })
})
