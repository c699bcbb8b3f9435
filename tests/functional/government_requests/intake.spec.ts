import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { readFile } from 'node:fs/promises'
import { DateTime } from 'luxon'
import AuditEvent from '#audit/models/audit_event'
import { storagePath } from '#core/storage'
import { runJob } from '#core/queue'
import MerchantNotification from '#vendors/models/merchant_notification'
import OutboundEmail from '#vendors/models/outbound_email'
import GovernmentRequest from '#government_requests/models/government_request'
import RequestNotice from '#government_requests/models/request_notice'
import register from '#government_requests/services/register'
import requestNotices from '#government_requests/services/notices'
import { dueAtFor } from '#government_requests/services/deadline_rules'
import { merchantUser, staffUser } from '#tests/helpers/actors'
import { govFixture, intakeInput } from '#tests/helpers/government_requests'

async function refusals(action: string, since: number) {
  return AuditEvent.query().where('action', action).where('id', '>', since)
}
async function lastEventId() {
  const last = await AuditEvent.query().orderBy('id', 'desc').first()
  return last?.id ?? 0
}

test.group('government requests / intake', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('legal counsel records a request from the console with its instrument stored encrypted', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const admin = await merchantUser(fx.merchant, 'merchant_admin')
    const response = await client
      .post('/government-requests')
      .actingAs(fx.counsel)
      .withCsrfToken()
      .header('referer', '/government-requests/new')
      .fields({
        'authorityName': 'محكمة القاهرة الاقتصادية',
        'authorityCountry': 'EG',
        'authorityType': 'court',
        'instrumentType': 'court_order',
        'instrumentReference': 'CEC 1/2026',
        'legalBasis': 'Code of Criminal Procedure, Art. 206',
        'receivedAt': '2026-11-26T10:00',
        'deadlineRule': 'pdpl_art10',
        'identifiers': `${fx.customer.phone}\nsomeone@else.test`,
        'merchantIds[]': String(fx.merchant.id),
        'categories[]': 'customer.contact.phone',
        'contactVerified': 'on',
        'contactVerification': 'Called the registry back.',
      })
      .file('document', Buffer.from('%PDF-1.4 THE-ORDER-TEXT'), { filename: 'order.pdf' })
      .redirects(0)
    response.assertStatus(302)
    const request = await GovernmentRequest.query()
      .where('instrument_reference', 'CEC 1/2026')
      .firstOrFail()
    assert.match(request.reference, /^GR-2026-\d{4}$/)
    assert.equal(request.status, 'intake')
    assert.deepEqual(
      request.identifiers.map((i) => i.kind),
      ['phone', 'email']
    )
    // Thursday 26 Nov (Cairo), the day itself not counted, + 6 working days on Egypt's calendar
    // (Fri–Sat weekend: Sun 29, Mon 30, Tue 1, Wed 2, Thu 3, Sun 6) = the end of Sunday 6 December
    const due = request.dueAt.setZone('Africa/Cairo')
    assert.equal(due.toISODate(), '2026-12-06')
    assert.equal(due.toFormat('HH:mm'), '23:59')
    assert.isNotNull(request.contactVerifiedAt)
    // The file on disk is sealed, the hash is on the record, and it opens again intact
    const stored = await readFile(storagePath(request.instrumentDocumentPath!), 'utf8')
    assert.match(stored, /^e1\./)
    assert.notInclude(stored, 'THE-ORDER-TEXT')
    const reopened = await register.readInstrument(request)
    assert.include(reopened.toString(), 'THE-ORDER-TEXT')
    // The identifiers are sealed in the database too
    const raw = await GovernmentRequest.query()
      .where('id', request.id)
      .pojo<{ scope_identifiers: string }>()
      .firstOrFail()
    assert.match(raw.scope_identifiers, /^e1\./)

    // The merchant is told at once: portal notice, then the e-mail job writes the outbox
    const notice = await RequestNotice.query().where('request_id', request.id).firstOrFail()
    assert.equal(notice.status, 'sent')
    const inbox = await MerchantNotification.query()
      .where({ merchantId: fx.merchant.id, kind: 'government_request' })
      .firstOrFail()
    assert.include(inbox.title, request.reference)
    assert.notInclude(inbox.body, fx.customer.phone!)
    await runJob('government_requests.send_notice_emails', { noticeId: notice.id })
    const email = await OutboundEmail.query()
      .where({ sourceType: 'government_request_notice', sourceId: String(notice.id) })
      .firstOrFail()
    assert.equal(email.recipientUserId, admin.id)

    const page = await client.get(`/government-requests/${request.id}`).actingAs(fx.counsel)
    page.assertStatus(200)
    assert.include(page.text(), 'محكمة القاهرة الاقتصادية')
    assert.include(page.text(), request.reference)
  })

  test('only legal counsel and the DPO record requests; others are refused', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    for (const user of [
      await staffUser('privacy_analyst'),
      await staffUser('auditor'),
      await merchantUser(fx.merchant, 'merchant_admin', { withMfa: true }),
    ]) {
      const response = await client
        .post('/government-requests')
        .actingAs(user)
        .withCsrfToken()
        .fields({ authorityName: 'X' })
        .redirects(0)
      assert.oneOf(response.status(), [302, 403], `${user.email}`)
      if (response.status() === 302)
        assert.notInclude(response.header('location') ?? '', '/government-requests/')
    }
    assert.lengthOf(await GovernmentRequest.query().where('authority_name', 'X'), 0)
    const dpo = await staffUser('dpo')
    const created = await register.intake(intakeInput(fx), dpo.id)
    assert.equal(created.createdByUserId, dpo.id)
  })

  test('a deadline rule that does not fit the instrument is refused, audited, and nothing is recorded', async ({
    assert,
  }) => {
    const fx = await govFixture()
    const since = await lastEventId()
    const error = await register
      .intake(intakeInput(fx, { instrumentType: 'emergency_request' }), fx.counsel.id)
      .catch((e) => e)
    assert.equal(error.status, 422)
    assert.equal(error.details[0].field, 'deadlineRule')
    const foreign = await register
      .intake(intakeInput(fx, { deadlineRule: 'eu_e_evidence' }), fx.counsel.id)
      .catch((e) => e)
    assert.equal(foreign.details[0].rule, 'government_deadline_eu_authority')
    assert.lengthOf(await GovernmentRequest.query().where('created_by_user_id', fx.counsel.id), 0)
    const audited = await refusals('government_request.intake_refused', since)
    assert.lengthOf(audited, 2)
    assert.equal(audited[0].meta.field, 'deadlineRule')
    assert.equal(audited[0].outcome, 'denied')
    assert.lengthOf(await MerchantNotification.query().where('merchant_id', fx.merchant.id), 0)
  })

  test('a gag order ending in the past is refused with a clear field error, and audited', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const since = await lastEventId()
    const response = await client
      .post('/government-requests')
      .actingAs(fx.counsel)
      .withCsrfToken()
      .header('referer', '/government-requests/new')
      .fields({
        'authorityName': 'Court A',
        'authorityCountry': 'EG',
        'authorityType': 'court',
        'instrumentType': 'court_order',
        'legalBasis': 'Art. 206',
        'receivedAt': '2026-11-26T10:00',
        'deadlineRule': 'pdpl_art10',
        'merchantIds[]': String(fx.merchant.id),
        'gagOrder': 'on',
        'gagUntil': '2026-01-01',
      })
      .redirects(0)
    response.assertStatus(302)
    assert.include(JSON.stringify(response.flashMessages()), 'gag order ends in the past')
    assert.lengthOf(await GovernmentRequest.query().where('authority_name', 'Court A'), 0)
    const audited = await refusals('government_request.intake_refused', since)
    assert.equal(audited[0].meta.field, 'gagUntil')
  })

  test('an emergency on the PDPL clock is refused next to the deadline rule, in Arabic', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const receivedAt = DateTime.now().setZone('Africa/Cairo').minus({ hours: 1 })
    const refused = await client
      .post('/government-requests')
      .actingAs(fx.counsel)
      .withCsrfToken()
      .header('referer', '/government-requests/new')
      .header('accept-language', 'ar')
      .fields({
        'authorityName': 'Court AR',
        'authorityCountry': 'EG',
        'authorityType': 'court',
        'instrumentType': 'emergency_request',
        'legalBasis': 'Art. 206',
        'receivedAt': receivedAt.toFormat("yyyy-MM-dd'T'HH:mm"),
        'deadlineRule': 'pdpl_art10',
        'merchantIds[]': String(fx.merchant.id),
      })
      .redirects(0)
    refused.assertStatus(302)
    assert.lengthOf(await GovernmentRequest.query().where('authority_name', 'Court AR'), 0)

    const form = await client
      .get('/government-requests/new')
      .actingAs(fx.counsel)
      .header('accept-language', 'ar')
      .withSession(refused.session())
      .withFlashMessages(refused.flashMessages())
    assert.include(
      form.text(),
      '<p class="field-error" id="deadlineRule-error">يحتاج الطلب الطارئ إلى مهلة مختصرة: اختر لائحة الأدلة الإلكترونية الأوروبية (8 ساعات) أو موعدًا مخصصًا.</p>'
    )
    assert.notInclude(form.text(), 'needs an expedited clock')
  })

  test('emergency requests get an expedited clock; custom emergency clocks are capped', ({
    assert,
  }) => {
    const received = DateTime.fromISO('2026-11-27T09:00:00Z')
    const emergency = dueAtFor({
      rule: 'eu_e_evidence',
      instrumentType: 'emergency_request',
      authorityCountry: 'DE',
      receivedAt: received,
    })
    assert.equal(emergency.toISO(), '2026-11-27T17:00:00.000Z')
    const production = dueAtFor({
      rule: 'eu_e_evidence',
      instrumentType: 'court_order',
      authorityCountry: 'FR',
      receivedAt: received,
    })
    assert.equal(production.toISODate(), '2026-12-07')
    assert.throws(
      () =>
        dueAtFor({
          rule: 'custom',
          instrumentType: 'emergency_request',
          authorityCountry: 'EG',
          receivedAt: received,
          customDueAt: received.plus({ days: 5 }),
        }),
      /within 48 hours/
    )
  })

  test('under a gag order the notice is deferred, and the job sends it once the gag lapses', async ({
    assert,
  }) => {
    const fx = await govFixture()
    const gagUntil = DateTime.utc().plus({ days: 10 }).startOf('day')
    const request = await register.intake(
      intakeInput(fx, { gagOrder: true, gagUntil: gagUntil.toJSDate() }),
      fx.counsel.id
    )
    const notice = await RequestNotice.query().where('request_id', request.id).firstOrFail()
    assert.equal(notice.status, 'deferred')
    assert.isNotNull(notice.deferredAt)
    assert.equal(notice.deferredUntil!.toISODate(), gagUntil.toISODate())
    assert.lengthOf(await MerchantNotification.query().where('merchant_id', fx.merchant.id), 0)

    assert.equal(await requestNotices.sendDue(gagUntil), 0)
    await notice.refresh()
    assert.equal(notice.status, 'deferred')

    assert.isAtLeast(await requestNotices.sendDue(gagUntil.plus({ days: 1 })), 1)
    await notice.refresh()
    assert.equal(notice.status, 'sent')
    assert.isNotNull(notice.sentAt)
    assert.isNotNull(notice.deferredAt)
    assert.lengthOf(await MerchantNotification.query().where('merchant_id', fx.merchant.id), 1)
  })

  test('an own-conduct investigation is recorded, shown and routed outside the process', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const request = await register.intake(intakeInput(fx, { ownConduct: true }), fx.counsel.id)
    assert.equal(request.status, 'referred')
    assert.lengthOf(await RequestNotice.query().where('request_id', request.id), 0)
    const page = await client.get(`/government-requests/${request.id}`).actingAs(fx.counsel)
    assert.include(page.text(), 'data-own-conduct')
    assert.notInclude(page.text(), 'action="/government-requests/' + request.id + '/assessment"')
  })
})
