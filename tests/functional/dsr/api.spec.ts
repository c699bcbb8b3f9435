import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { bearerToken, createMerchant } from '#tests/helpers/actors'
import DsrCase from '#dsr/models/dsr_case'
import receipts from '#dsr/services/receipts'
import reminders from '#dsr/services/reminders'
import { dsrDeadline, today } from '#dsr/services/deadlines'
import MerchantNotification from '#vendors/models/merchant_notification'
import { runJob } from '#core/queue'
import reportService from '#reports/services/report_service'
import Customer from '#conversations/models/customer'
import { readPdf } from '#tests/helpers/pdf'

const SCOPES = ['dsr:submit', 'dsr:view']

function body(overrides: Record<string, unknown> = {}) {
  return {
    type: 'erasure',
    subject: { phone: '+20 100 123 4567', email: 'Mona@Example.com' },
    received_at: today('EG').minus({ days: 3 }).toISODate(),
    identity_verified: true,
    ...overrides,
  }
}

async function casesOf(merchantId: number) {
  return DsrCase.query().where('merchant_id', merchantId).orderBy('id')
}

test.group('dsr / API intake', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a merchant submits a request and gets the case with a signed receipt and Art. 12(3) deadlines', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: SCOPES })
    const received = DateTime.fromISO('2026-01-31')
    const response = await client
      .post('/api/v1/dsr')
      .header('authorization', `Bearer ${token}`)
      .json(body({ received_at: received.toISODate() }))
    response.assertStatus(201)
    const data = response.body().data
    const expected = dsrDeadline(received.toISODate()!, 'EG')
    assert.equal(data.due_at, '2026-03-01', '31 Jan → 28 Feb (a Saturday in Egypt) → Sun 1 Mar')
    assert.equal(data.due_at, expected.dueOn.toISODate())
    assert.equal(data.internal_due_at, expected.internalDueOn.toISODate())
    assert.isTrue(data.internal_due_at < data.due_at, 'the internal target comes first')
    assert.equal(data.status, 'received')
    assert.equal(data.type, 'erasure')
    assert.isNull(data.records_found)
    assert.isFalse(data.linked)
    assert.match(data.reference, /^DSR-\d{4}-[0-9A-Z]{8}$/)
    assert.sameMembers(data.subject_identifiers, ['phone', 'email'])
    assert.notInclude(JSON.stringify(data), '1001234567', 'identifiers are not echoed')

    const receipt = await receipts.verify(data.receipt)
    assert.deepInclude(receipt!, {
      reference: data.reference,
      type: 'erasure',
      received_at: '2026-01-31',
      due_at: '2026-03-01',
      internal_due_at: data.internal_due_at,
      merchant_id: merchant.id,
    })
    const [header] = data.receipt.split('.')
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...receipt, due_at: '2026-12-31' })).toString('base64url')}.${data.receipt.split('.')[2]}`
    assert.isNull(await receipts.verify(tampered), 'an altered receipt does not verify')

    const stored = await DsrCase.findOrFail(data.id)
    assert.equal(stored.subjectPhone, '+201001234567', 'stored in E.164')
    assert.equal(stored.subjectEmail, 'mona@example.com')
    assert.equal(stored.source, 'api')
    assert.isTrue(stored.identityVerified)
    const raw = await db.from('dsr_cases').where('id', data.id).firstOrFail()
    assert.match(raw.subject_phone, /^e1\./)

    const pending = await reminders.pending(stored)
    assert.sameMembers(
      pending.map((p) => p.kind),
      ['reminder', 'escalation'],
      'deadline reminders are queued as delayed jobs'
    )
    const audit = await db
      .from('audit_events')
      .where({ action: 'dsr.case.received', target_id: String(data.id) })
      .first()
    assert.exists(audit)
  })

  test('GET shows the case to its merchant only; another merchant gets 404', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const token = await bearerToken(merchant, { scopes: SCOPES })
    const otherToken = await bearerToken(other, { scopes: SCOPES })
    const created = await client
      .post('/api/v1/dsr')
      .header('authorization', `Bearer ${token}`)
      .json(body({ type: 'access' }))
    const id = created.body().data.id

    const show = await client.get(`/api/v1/dsr/${id}`).header('authorization', `Bearer ${token}`)
    show.assertStatus(200)
    assert.equal(show.body().data.reference, created.body().data.reference)
    assert.notProperty(show.body().data, 'receipt')

    const foreign = await client
      .get(`/api/v1/dsr/${id}`)
      .header('authorization', `Bearer ${otherToken}`)
    foreign.assertStatus(404)
    foreign.assertBodyContains({ error: { code: 'not_found' } })

    const list = await client.get('/api/v1/dsr').header('authorization', `Bearer ${otherToken}`)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 0)
    const own = await client
      .get('/api/v1/dsr?status=received&type=access')
      .header('authorization', `Bearer ${token}`)
    assert.deepEqual(
      own.body().data.map((c: { id: number }) => c.id),
      [id]
    )

    const extendForeign = await client
      .post(`/api/v1/dsr/${id}/extension`)
      .header('authorization', `Bearer ${otherToken}`)
      .json({ months: 2, reason: 'Numerous requests this month' })
    extendForeign.assertStatus(404)
    const unchanged = await DsrCase.findOrFail(id)
    assert.isNull(unchanged.extensionMonths)
  })

  test('Idempotency-Key replays the first answer; a duplicate open request is linked, not duplicated', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: SCOPES })
    const send = (payload: Record<string, unknown>, key?: string) => {
      const request = client.post('/api/v1/dsr').header('authorization', `Bearer ${token}`)
      if (key) request.header('idempotency-key', key)
      return request.json(payload)
    }
    const first = await send(body(), 'req-1')
    first.assertStatus(201)
    const replay = await send(body(), 'req-1')
    replay.assertStatus(201)
    assert.equal(replay.header('idempotent-replayed'), 'true')
    assert.equal(replay.body().data.id, first.body().data.id)

    const reused = await send(body({ type: 'access' }), 'req-1')
    reused.assertStatus(409)
    reused.assertBodyContains({ error: { code: 'idempotency_key_reused' } })

    // Same person (by e-mail, written differently) and type while open: linked
    const duplicate = await send(body({ subject: { email: ' MONA@example.com ' } }))
    duplicate.assertStatus(200)
    assert.isTrue(duplicate.body().data.linked)
    assert.equal(duplicate.body().data.id, first.body().data.id)

    // Another type for the same person is a new case
    const access = await send(body({ type: 'access' }))
    access.assertStatus(201)
    assert.notEqual(access.body().data.id, first.body().data.id)

    const cases = await casesOf(merchant.id)
    assert.lengthOf(cases, 2)
    const events = await db
      .from('dsr_case_events')
      .where({ dsr_case_id: first.body().data.id, kind: 'duplicate_linked' })
    assert.lengthOf(events, 1)
  })

  test('bad input gets a 422 naming the field, and nothing is created', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: SCOPES })
    const tomorrow = today('EG').plus({ days: 1 }).toISODate()
    const cases: [string, Record<string, unknown>, string][] = [
      ['unknown identifier', body({ subject: { passport: 'A123' } }), 'subject'],
      ['no identifier', body({ subject: {} }), 'subject'],
      ['malformed phone', body({ subject: { phone: '01001234567' } }), 'subject.phone'],
      ['malformed e-mail', body({ subject: { email: 'not-an-email' } }), 'subject.email'],
      ['future received date', body({ received_at: tomorrow }), 'received_at'],
      ['not a date', body({ received_at: '31/01/2026' }), 'received_at'],
      ['rectification without values', body({ type: 'rectification' }), 'rectification'],
      [
        'rectification with an unknown field',
        body({ type: 'rectification', rectification: { shoe_size: '42' } }),
        'rectification',
      ],
      [
        'corrected values on an erasure',
        body({ rectification: { display_name: 'Mona S.' } }),
        'rectification',
      ],
      ['identity not verified', body({ identity_verified: false }), 'identity_verified'],
      ['unknown type', body({ type: 'delete_everything' }), 'type'],
    ]
    for (const [what, payload, field] of cases) {
      const response = await client
        .post('/api/v1/dsr')
        .header('authorization', `Bearer ${token}`)
        .json(payload)
      assert.equal(response.status(), 422, what)
      assert.equal(response.body().error.code, 'validation_failed', what)
      assert.include(
        response.body().error.details.map((d: { field: string }) => d.field),
        field,
        what
      )
    }
    assert.lengthOf(await casesOf(merchant.id), 0)
    const notices = await MerchantNotification.query().where('merchant_id', merchant.id)
    assert.lengthOf(notices, 0)
  })

  test('a rectification carries its corrected values, sealed', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: SCOPES })
    const response = await client
      .post('/api/v1/dsr')
      .header('authorization', `Bearer ${token}`)
      .json(
        body({
          type: 'rectification',
          rectification: { display_name: 'Mona Salah', phone: '+201009999999' },
        })
      )
    response.assertStatus(201)
    const stored = await DsrCase.findOrFail(response.body().data.id)
    assert.deepEqual(stored.rectification, { display_name: 'Mona Salah', phone: '+201009999999' })
    const raw = await db.from('dsr_cases').where('id', stored.id).firstOrFail()
    assert.notInclude(raw.rectification_values, 'Mona')
  })

  test('a token without the DSR scope is refused', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['dsr:view'] })
    const response = await client
      .post('/api/v1/dsr')
      .header('authorization', `Bearer ${token}`)
      .json(body())
    response.assertStatus(403)
    assert.lengthOf(await casesOf(merchant.id), 0)
  })

  test('an extension is taken once, before the deadline; later or again it is refused', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: SCOPES })
    const created = await client
      .post('/api/v1/dsr')
      .header('authorization', `Bearer ${token}`)
      .json(body({ type: 'access' }))
    const id = created.body().data.id
    const extend = (payload: Record<string, unknown>, caseId = id) =>
      client
        .post(`/api/v1/dsr/${caseId}/extension`)
        .header('authorization', `Bearer ${token}`)
        .json(payload)

    const noReason = await extend({ months: 2 })
    noReason.assertStatus(422)
    const threeMonths = await extend({ months: 3, reason: 'Complex request over many channels' })
    threeMonths.assertStatus(422)

    const ok = await extend({ months: 2, reason: 'Complex request over many channels' })
    ok.assertStatus(200)
    const receivedOn = created.body().data.received_at
    assert.equal(
      ok.body().data.due_at,
      dsrDeadline(receivedOn, 'EG', { extensionMonths: 2 }).dueOn.toISODate()
    )
    assert.equal(ok.body().data.original_due_at, created.body().data.due_at)
    assert.equal(ok.body().data.extension.months, 2)
    const notice = await MerchantNotification.query()
      .where({ merchantId: merchant.id, kind: 'dsr.case.extended' })
      .first()
    assert.exists(notice, 'the merchant is notified')

    const again = await extend({ months: 1, reason: 'Still more to do than planned' })
    again.assertStatus(409)
    again.assertBodyContains({ error: { code: 'dsr_already_extended' } })

    // A case whose first deadline has passed cannot be extended
    const old = await client
      .post('/api/v1/dsr')
      .header('authorization', `Bearer ${token}`)
      .json(
        body({ type: 'portability', received_at: today('EG').minus({ months: 3 }).toISODate() })
      )
    old.assertStatus(201)
    const late = await extend(
      { months: 2, reason: 'Complex request over many channels' },
      old.body().data.id
    )
    late.assertStatus(422)
    late.assertBodyContains({ error: { code: 'dsr_extension_too_late' } })
    const unchanged = await DsrCase.findOrFail(old.body().data.id)
    assert.isNull(unchanged.extensionMonths)
    assert.equal(unchanged.dueAt.toISODate(), old.body().data.due_at)
  })

  test('a completed case gives its merchant the signed report and the package; others get 404', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const token = await bearerToken(merchant, { scopes: SCOPES })
    const otherToken = await bearerToken(other, { scopes: SCOPES })
    await Customer.create({
      merchantId: merchant.id,
      email: 'pkg@example.com',
      firstSeenAt: DateTime.utc(),
      lastSeenAt: DateTime.utc(),
    })
    const created = await client
      .post('/api/v1/dsr')
      .header('authorization', `Bearer ${token}`)
      .json(body({ type: 'access', subject: { email: 'pkg@example.com' } }))
    const id = created.body().data.id

    const early = await client
      .get(`/api/v1/dsr/${id}/report.pdf`)
      .header('authorization', `Bearer ${token}`)
    early.assertStatus(409)
    early.assertBodyContains({ error: { code: 'report_not_ready' } })

    await runJob('dsr.process_case', { caseId: id })
    await runJob('dsr.case_report', { caseId: id })
    const shown = await client.get(`/api/v1/dsr/${id}`).header('authorization', `Bearer ${token}`)
    assert.equal(shown.body().data.status, 'completed')
    assert.isAbove(shown.body().data.records_found, 0)
    assert.sameMembers(
      shown.body().data.artifacts.map((a: { kind: string }) => a.kind),
      ['report', 'export']
    )

    const pdf = await client
      .get(`/api/v1/dsr/${id}/report.pdf`)
      .header('authorization', `Bearer ${token}`)
    pdf.assertStatus(200)
    assert.equal(pdf.header('content-type'), 'application/pdf')
    const bytes = Buffer.from(pdf.body() as Buffer)
    const verdict = await reportService.verify(bytes)
    assert.isTrue(verdict.valid, 'verifies like every report (reports:verify)')
    assert.equal(verdict.report?.kind, 'dsr-case')
    const printed = await readPdf(bytes)
    assert.include(printed.text, created.body().data.reference)
    assert.include(printed.text, 'Access (GDPR Art. 15)')
    assert.notInclude(printed.compact, 'pkg@example.com', 'the report names no person')

    const pkg = await client
      .get(`/api/v1/dsr/${id}/export`)
      .header('authorization', `Bearer ${token}`)
    pkg.assertStatus(200)
    assert.include(pkg.header('content-type'), 'application/json')
    assert.include(pkg.text(), 'pkg@example.com')

    for (const path of [`/api/v1/dsr/${id}/report.pdf`, `/api/v1/dsr/${id}/export`]) {
      const foreign = await client.get(path).header('authorization', `Bearer ${otherToken}`)
      foreign.assertStatus(404)
    }
  })
})
