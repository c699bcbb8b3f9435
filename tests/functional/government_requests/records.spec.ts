import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import reportService from '#reports/services/report_service'
import { DASHBOARD_CARDS } from '#start/dashboard'
import GovernmentRequest from '#government_requests/models/government_request'
import RequestNotice from '#government_requests/models/request_notice'
import transparency, { band } from '#government_requests/services/transparency'
import { seedDemoCases } from '#government_requests/demo_cases'
import register from '#government_requests/services/register'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { readPdf } from '#tests/helpers/pdf'
import { govFixture, intakeInput, type GovFixture } from '#tests/helpers/government_requests'

async function demo(fx: GovFixture) {
  const second = await createMerchant()
  return seedDemoCases([fx.merchant, second], { counsel: fx.counsel, dpo: fx.dpo })
}

/** A letter to the authority about one request, generated and read back as text. */
async function letterFor(kind: 'government-refusal' | 'government-challenge', record: string) {
  const letter = await reportService.generate({ kind, record, generatedBy: 'test' })
  const pdf = await readPdf(await reportService.read(letter))
  return pdf.text
}

test.group('government requests / records and transparency', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the five demo cases go through the real process: refused, narrowed, emergency, preserved, challenged', async ({
    assert,
  }) => {
    const fx = await govFixture()
    const cases = await demo(fx)
    assert.lengthOf(cases, 5)
    const [overbroad, narrowed, emergency, preservation, foreign] = cases
    assert.equal(overbroad.status, 'decided')
    assert.equal(narrowed.status, 'disclosed')
    assert.equal(emergency.status, 'disclosed')
    assert.isTrue(emergency.emergency)
    const emergencyNotice = await RequestNotice.query()
      .where('request_id', emergency.id)
      .firstOrFail()
    assert.equal(emergencyNotice.status, 'deferred')
    assert.isTrue(preservation.preservation)
    assert.equal(foreign.authorityCountry, 'US')
    // Idempotent: a second run adds nothing
    assert.lengthOf(await demo(fx), 0)
  })

  test('the transparency figures match the seeded cases, with small counts banded', async ({
    assert,
  }) => {
    const fx = await govFixture()
    await demo(fx)
    // One more, outside the process: counted apart
    await register.intake(
      intakeInput(fx, { ownConduct: true, receivedAt: '2026-09-01T10:00' }),
      fx.counsel.id
    )
    const raw = await transparency.raw('2026H2')
    assert.equal(raw.requests, 5)
    assert.deepEqual(raw.byCountry, { EG: 3, DE: 1, US: 1 })
    assert.deepEqual(raw.byAuthorityType, { police: 2, court: 2, prosecutor: 1 })
    assert.deepEqual(raw.byInstrumentType, {
      administrative_order: 1,
      court_order: 1,
      emergency_request: 1,
      preservation_request: 1,
      subpoena: 1,
    })
    assert.deepEqual(raw.byOutcome, {
      reject: 1,
      narrow: 1,
      comply_partial: 1,
      comply_full: 1,
      challenge: 1,
    })
    // 0 + 2 + 1 + 1 + 1 identifiers named
    assert.equal(raw.accountsSpecified, 5)
    assert.equal(raw.produced, 2)
    assert.deepEqual(raw.emergency, { requests: 1, produced: 1 })
    assert.deepEqual(raw.preservation, { requests: 1, holdsPlaced: 1 })
    assert.deepEqual(raw.challenges, { total: 1, upheld: 1, dismissed: 0, pending: 0 })
    // Notices: 2 for the overbroad request (two merchants), one each for the other four; the
    // emergency one is deferred under its gag
    assert.deepEqual(raw.notices, { sent: 5, deferred: 1, stillDeferred: 1 })
    assert.equal(raw.ownConduct, 1)
    assert.equal(raw.byAuthority['محكمة القاهرة الاقتصادية'], 1)

    const figures = await transparency.figures('2026-H2')
    assert.equal(figures.period, '2026-H2')
    assert.equal(figures.requests, '1–9')
    assert.equal(figures.producedPercent, 40)
    assert.deepEqual(figures.challenges, { total: '1–9', upheld: '1–9', dismissed: 0, pending: 0 })
    assert.isTrue(figures.byCountry.every((row) => row.count === '1–9'))
    assert.equal(band(10), 10)
    assert.equal(band(0), 0)

    const csv = transparency.toCsv(figures)
    assert.include(csv, 'section,key,value\n')
    assert.include(csv, 'country,EG,1–9\n')
    assert.include(csv, 'produced,percent,40\n')
    assert.include(csv, 'authority,محكمة القاهرة الاقتصادية,1–9\n')
    // Another half-year has none of them
    const firstHalf = await transparency.raw('2026H1')
    assert.equal(firstHalf.requests, 0)
  })

  test('published reports appear on /transparency and /transparency.json; the PDF has charts and verifies', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    await demo(fx)
    const none = await client.get('/transparency.json')
    none.assertStatus(404)

    const publish = await client
      .post('/government-requests/transparency')
      .actingAs(fx.dpo)
      .withCsrfToken()
      .form({ period: '2026H2' })
      .redirects(0)
    publish.assertStatus(302)
    const json = await client.get('/transparency.json')
    json.assertStatus(200)
    assert.equal(json.body().period, '2026-H2')
    assert.equal(json.body().figures.producedPercent, 40)
    assert.equal(json.body().figures.requests, '1–9')

    const page = await client.get('/transparency').header('accept-language', 'ar')
    page.assertStatus(200)
    assert.include(page.text(), 'تقرير الشفافية')
    assert.include(page.text(), 'محكمة القاهرة الاقتصادية')
    const csv = await client.get('/transparency.csv')
    assert.include(csv.text(), 'produced,percent,40')

    const report = await reportService.findByDocumentId(json.body().reportDocumentId)
    const bytes = await reportService.read(report)
    const pdf = await readPdf(bytes)
    assert.include(pdf.text, 'Transparency report 2026-H2')
    assert.include(pdf.text, 'By country')
    assert.include(pdf.text, '1–9')
    assert.include(pdf.text, 'محكمة القاهرة الاقتصادية')
    const verdict = await reportService.verify(bytes)
    assert.isTrue(verdict.valid)
    // A merchant may not publish
    const merchantAdmin = await merchantUser(fx.merchant, 'merchant_admin', { withMfa: true })
    const refused = await client
      .post('/government-requests/transparency')
      .actingAs(merchantAdmin)
      .withCsrfToken()
      .header('accept', 'application/json')
      .form({ period: '2026H2' })
    refused.assertStatus(403)
  })

  test('the internal record and the letters of refusal and challenge are signed reports that reports:verify accepts', async ({
    assert,
  }) => {
    const fx = await govFixture()
    const cases = await demo(fx)
    const [overbroad, narrowed] = cases
    const dir = app.makePath('tmp', `gov-reports-${Date.now()}`)
    await mkdir(dir, { recursive: true })
    try {
      const ace = await app.container.make('ace')
      ace.ui.switchMode('raw')
      const out = join(dir, 'record.pdf')
      const generate = await ace.exec('reports:generate', [
        'government-request',
        '--case',
        narrowed.reference,
        '--out',
        out,
      ])
      assert.equal(generate.exitCode, 0)
      const record = await readPdf(await readFile(out))
      for (const text of [
        `Government request ${narrowed.reference}`,
        'محكمة القاهرة الاقتصادية',
        'Assessment',
        'Is the authority competent?',
        'Narrow',
        'Disclosures',
        'package',
        'Timeline',
        'Package built and handed over',
        'Merchant notified',
      ]) {
        assert.include(record.text, text)
      }
      const verify = await ace.exec('reports:verify', [out])
      assert.equal(verify.exitCode, 0)

      const letterText = await letterFor('government-refusal', overbroad.reference)
      assert.include(letterText, 'we refuse to disclose')
      assert.include(letterText, 'overbroad')
      assert.include(letterText, 'الإدارة العامة لمباحث الإنترنت')
      const noLetter = await letterFor('government-refusal', narrowed.reference).catch((e) => e)
      assert.equal(noLetter.code, 'no_refusal')

      const challenged = cases.find((c) => c.instrumentReference === '26-MJ-0412')!
      const noticeText = await letterFor('government-challenge', challenged.reference)
      assert.include(noticeText, 'Challenge of request 26-MJ-0412')
      assert.include(noticeText, 'is therefore challenging the request')
      assert.include(noticeText, 'Upheld (the request was withdrawn or narrowed)')
      assert.include(noticeText, 'MLAT')
      const noNotice = await letterFor('government-challenge', overbroad.reference).catch((e) => e)
      assert.equal(noNotice.code, 'no_challenge')
      const noCase = await ace.exec('reports:generate', ['government-request', '--out', out])
      assert.equal(noCase.exitCode, 1)
      const transparencyPdf = await ace.exec('reports:generate', [
        'transparency',
        '--period',
        '2026H2',
        '--out',
        join(dir, 't.pdf'),
      ])
      assert.equal(transparencyPdf.exitCode, 0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('the case list counts down deadlines, highlights the overdue, filters and pages; dashboard cards count them', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const overdue = await register.intake(
      intakeInput(fx, {
        instrumentReference: 'LATE-1',
        deadlineRule: 'custom',
        receivedAt: DateTime.utc().minus({ days: 3 }).toISO()!,
        customDueAt: DateTime.utc().minus({ days: 1 }).toISO()!,
      }),
      fx.counsel.id
    )
    const soon = await register.intake(
      intakeInput(fx, { instrumentReference: 'SOON-1' }),
      fx.counsel.id
    )
    const list = await client
      .get('/government-requests')
      .qs({ status: 'open' })
      .actingAs(fx.counsel)
    list.assertStatus(200)
    const html = list.text()
    assert.match(html, new RegExp(`class="overdue" data-reference="${overdue.reference}"`))
    assert.match(html, new RegExp(`class="" data-reference="${soon.reference}"`))
    assert.include(html, 'overdue by')
    assert.include(html, 'due in')
    const filtered = await client
      .get('/government-requests')
      .qs({ status: 'overdue', q: overdue.reference })
      .actingAs(fx.counsel)
    assert.include(filtered.text(), overdue.reference)
    assert.notInclude(filtered.text(), soon.reference)
    const empty = await client
      .get('/government-requests')
      .qs({ status: '', instrumentType: '', country: '', q: '' })
      .actingAs(fx.counsel)
    empty.assertStatus(200)
    const paged = await client.get('/government-requests').qs({ perPage: 1 }).actingAs(fx.counsel)
    assert.include(paged.text(), 'rel="next"')

    const principal = {
      kind: 'user' as const,
      userId: fx.counsel.id,
      tokenId: null,
      merchantId: null,
      domain: 'platform',
      roles: ['legal_counsel'],
      scopes: null,
      label: 'counsel',
    }
    const card = (key: string) => DASHBOARD_CARDS.find((c) => c.key === key)!
    assert.isAtLeast(await card('government_requests_open').count(principal), 2)
    const overdueCount = await card('government_requests_overdue').count(principal)
    assert.isAtLeast(overdueCount, 1)
    await GovernmentRequest.query()
      .where('id', overdue.id)
      .update({ answered_at: DateTime.utc().toSQL(), status: 'decided' })
    assert.equal(await card('government_requests_overdue').count(principal), overdueCount - 1)

    const auditor = await staffUser('auditor')
    const auditorPage = await client.get(`/government-requests/${soon.id}`).actingAs(auditor)
    auditorPage.assertStatus(200)
    const analyst = await staffUser('privacy_analyst')
    const analystPage = await client.get('/government-requests').actingAs(analyst)
    analystPage.assertStatus(403)
  })

  test('a merchant sees the requests it was told of, never another merchant’s', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const other = await createMerchant()
    const mine = await register.intake(intakeInput(fx), fx.counsel.id)
    const theirs = await register.intake(
      intakeInput(fx, { merchantIds: [other.id], instrumentReference: 'OTHER-77' }),
      fx.counsel.id
    )
    const gagged = await register.intake(
      intakeInput(fx, {
        instrumentReference: 'GAGGED-1',
        gagOrder: true,
        gagUntil: DateTime.utc().plus({ days: 30 }).toJSDate(),
      }),
      fx.counsel.id
    )
    const admin = await merchantUser(fx.merchant, 'merchant_admin', { withMfa: true })
    const page = await client.get('/portal/government-requests').actingAs(admin)
    page.assertStatus(200)
    assert.include(page.text(), mine.reference)
    assert.notInclude(page.text(), theirs.reference)
    assert.notInclude(page.text(), gagged.reference)
    const staffPage = await client.get(`/government-requests/${mine.id}`).actingAs(admin)
    staffPage.assertStatus(403)
    const api = await client.get(`/api/v1/government-requests/${mine.id}`).actingAs(admin)
    api.assertStatus(403)
  })

  test('the reports page asks per-case kinds for their case reference', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const form = await client.get('/reports').actingAs(fx.counsel)
    form.assertStatus(200)
    assert.include(form.text(), 'name="record"')
    const response = await client
      .post('/reports')
      .actingAs(fx.counsel)
      .withCsrfToken()
      .header('referer', '/reports')
      .form({ kind: 'government-request' })
      .redirects(0)
    response.assertStatus(302)
    assert.include(JSON.stringify(response.flashMessages()), 'name its reference')
  })
})
