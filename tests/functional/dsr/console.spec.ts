import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import DsrCase from '#dsr/models/dsr_case'
import LegalHold from '#dsr/models/legal_hold'
import intake from '#dsr/services/intake'
import { today } from '#dsr/services/deadlines'
import type Merchant from '#merchants/models/merchant'

async function submitted(merchant: Merchant, receivedDaysAgo = 2) {
  const { dsrCase } = await intake.submit(
    {
      type: 'erasure',
      subject: { email: `c${Date.now()}@example.com` },
      receivedAt: today('EG').minus({ days: receivedDaysAgo }).toJSDate(),
      identityVerified: true,
    },
    { merchant, source: 'api' }
  )
  return dsrCase
}

test.group('dsr / console and portal pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the DPO lists cases with filters, sees the chart, and works a case', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const merchant = await createMerchant()
    const recent = await submitted(merchant)
    const overdue = await submitted(merchant, 70)

    const list = await client.get('/dsr/cases').actingAs(dpo)
    list.assertStatus(200)
    assert.include(list.text(), recent.reference)
    assert.include(list.text(), 'Erasure (Art. 17)')
    assert.include(list.text(), 'id="dsr-chart"')
    assert.notInclude(list.text(), '>erasure<', 'labels, not codes')

    const filtered = await client
      .get(`/dsr/cases?due=overdue&merchantId=${merchant.id}`)
      .actingAs(dpo)
    assert.include(filtered.text(), overdue.reference)
    assert.notInclude(filtered.text(), recent.reference)
    const none = await client.get('/dsr/cases?status=completed&type=access&q=&due=').actingAs(dpo)
    none.assertStatus(200)
    assert.notInclude(none.text(), recent.reference)

    const page = await client.get(`/dsr/cases/${recent.id}`).actingAs(dpo)
    page.assertStatus(200)
    assert.include(page.text(), recent.reference)
    assert.include(page.text(), 'Timeline')

    const comment = await client
      .post(`/dsr/cases/${recent.id}/comment`)
      .actingAs(dpo)
      .withCsrfToken()
      .form({ body: 'Called the merchant to confirm the scope.' })
      .redirects(0)
    comment.assertStatus(302)
    const task = await client
      .post(`/dsr/cases/${recent.id}/tasks`)
      .actingAs(dpo)
      .withCsrfToken()
      .form({ title: 'Check the backups note', dueOn: '' })
      .redirects(0)
    task.assertStatus(302)
    const assign = await client
      .post(`/dsr/cases/${recent.id}/assign`)
      .actingAs(dpo)
      .withCsrfToken()
      .form({ assigneeUserId: String(dpo.id) })
      .redirects(0)
    assign.assertStatus(302)
    const refused = await client
      .post(`/dsr/cases/${recent.id}/refuse`)
      .actingAs(dpo)
      .withCsrfToken()
      .form({ code: 'other' })
      .redirects(0)
    refused.assertStatus(302)
    await recent.refresh()
    assert.equal(recent.status, 'received', 'refusal "other" without text is refused')
    assert.equal(recent.assigneeUserId, dpo.id)

    const after = await client.get(`/dsr/cases/${recent.id}`).actingAs(dpo)
    assert.include(after.text(), 'Called the merchant to confirm the scope.')
    assert.include(after.text(), 'Check the backups note')
  })

  test('staff enter a customer e-mail received at the privacy address: it awaits the merchant', async ({
    client,
    assert,
  }) => {
    const analyst = await staffUser('privacy_analyst')
    const merchant = await createMerchant()
    const response = await client
      .post('/dsr/cases')
      .actingAs(analyst)
      .withCsrfToken()
      .form({
        merchant_id: String(merchant.id),
        channel: 'privacy_email',
        type: 'access',
        email: 'writer@example.com',
        received_at: today('EG').toISODate()!,
      })
      .redirects(0)
    response.assertStatus(302)
    const dsrCase = await DsrCase.query().where('merchant_id', merchant.id).firstOrFail()
    assert.equal(dsrCase.status, 'awaiting_merchant')
    assert.equal(dsrCase.source, 'privacy_email')
  })

  test('a merchant admin submits in the portal and sees only its own cases', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const foreign = await submitted(other)

    const form = await client.get('/portal/dsr/new').actingAs(admin)
    form.assertStatus(200)
    assert.include(form.text(), 'name="received_at"')

    const refused = await client
      .post('/portal/dsr')
      .actingAs(admin)
      .withCsrfToken()
      .form({ type: 'erasure', phone: '0100', received_at: today('EG').toISODate()! })
      .redirects(0)
    refused.assertStatus(302)
    assert.lengthOf(await DsrCase.query().where('merchant_id', merchant.id), 0)

    const created = await client
      .post('/portal/dsr')
      .actingAs(admin)
      .withCsrfToken()
      .form({
        type: 'erasure',
        phone: '+20 100 765 4321',
        received_at: today('EG').toISODate()!,
        identity_verified: 'on',
      })
      .redirects(0)
    created.assertStatus(302)
    const mine = await DsrCase.query().where('merchant_id', merchant.id).firstOrFail()
    assert.equal(mine.source, 'portal')
    assert.equal(mine.subjectPhone, '+201007654321')

    const list = await client.get('/portal/dsr').actingAs(admin)
    assert.include(list.text(), mine.reference)
    assert.notInclude(list.text(), foreign.reference)
    const peek = await client.get(`/portal/dsr/${foreign.id}`).actingAs(admin)
    peek.assertStatus(404)
    const staffPage = await client.get(`/dsr/cases/${mine.id}`).actingAs(admin)
    staffPage.assertStatus(403)
  })

  test('a portal request without the identity attestation is refused next to it, in Arabic', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const refused = await client
      .post('/portal/dsr')
      .actingAs(admin)
      .withCsrfToken()
      .header('referer', '/portal/dsr/new')
      .header('accept-language', 'ar')
      .form({ type: 'erasure', phone: '+20 100 765 4321', received_at: today('EG').toISODate()! })
      .redirects(0)
    refused.assertStatus(302)
    assert.lengthOf(await DsrCase.query().where('merchant_id', merchant.id), 0)

    const form = await client
      .get('/portal/dsr/new')
      .actingAs(admin)
      .header('accept-language', 'ar')
      .withSession(refused.session())
      .withFlashMessages(refused.flashMessages())
    assert.include(
      form.text(),
      '<p class="field-error" id="identity_verified-error">أكّد أنك تحققت من هوية الشخص: المنصة تتصرف بناءً على تعليماتك.</p>'
    )
    assert.notInclude(form.text(), 'the hub acts on your instruction')
  })

  test('a hold that would expire in the past is refused next to its expiry, input kept', async ({
    client,
    assert,
  }) => {
    const counsel = await staffUser('legal_counsel')
    const merchant = await createMerchant()
    const refused = await client
      .post('/dsr/legal-holds')
      .actingAs(counsel)
      .withCsrfToken()
      .header('referer', '/dsr/legal-holds')
      .form({
        scope: 'merchant',
        merchantId: String(merchant.id),
        source: 'manual',
        reason: 'Pending litigation notice',
        expiresOn: DateTime.utc().minus({ days: 1 }).toISODate()!,
      })
      .redirects(0)
    refused.assertStatus(302)
    const flash = refused.flashMessages() as Record<string, any>
    assert.property(flash.errors, 'expiresOn')
    assert.equal(flash.reason, 'Pending litigation notice')
    assert.lengthOf(await LegalHold.query().where('merchant_id', merchant.id), 0)
  })

  test('legal counsel places a hold in the console; lifting takes a second person', async ({
    client,
    assert,
  }) => {
    const counsel = await staffUser('legal_counsel')
    const dpo = await staffUser('dpo')
    const analyst = await staffUser('privacy_analyst')
    const merchant = await createMerchant()
    const placed = await client
      .post('/dsr/legal-holds')
      .actingAs(counsel)
      .withCsrfToken()
      .form({
        scope: 'merchant',
        merchantId: String(merchant.id),
        source: 'government_request',
        sourceRef: 'GR-1',
        reason: 'Preservation order from the public prosecutor',
      })
      .redirects(0)
    placed.assertStatus(302)
    const hold = await LegalHold.query().where('merchant_id', merchant.id).firstOrFail()

    const denied = await client
      .post('/dsr/legal-holds')
      .actingAs(analyst)
      .withCsrfToken()
      .form({
        scope: 'merchant',
        merchantId: String(merchant.id),
        source: 'manual',
        reason: 'x y z w',
      })
      .redirects(0)
    denied.assertStatus(403)

    await client
      .post(`/dsr/legal-holds/${hold.id}/request-lift`)
      .actingAs(counsel)
      .withCsrfToken()
      .form({ reason: 'Order withdrawn' })
      .redirects(0)
    await client
      .post(`/dsr/legal-holds/${hold.id}/lift`)
      .actingAs(counsel)
      .withCsrfToken()
      .form({})
      .redirects(0)
    await hold.refresh()
    assert.isNull(hold.liftedAt, 'the requester cannot lift it')
    await client
      .post(`/dsr/legal-holds/${hold.id}/lift`)
      .actingAs(dpo)
      .withCsrfToken()
      .form({})
      .redirects(0)
    await hold.refresh()
    assert.isNotNull(hold.liftedAt)

    const page = await client.get('/dsr/legal-holds?state=any').actingAs(analyst)
    page.assertStatus(200)
    assert.include(page.text(), 'Preservation order from the public prosecutor')
    assert.notInclude(
      page.text(),
      'method="POST" action="/dsr/legal-holds"',
      'no place form without permission'
    )
  })

  test('pages speak Arabic when asked', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const page = await client.get('/portal/dsr').actingAs(admin).header('accept-language', 'ar')
    page.assertStatus(200)
    assert.include(page.text(), 'طلبات أصحاب البيانات')
    assert.include(page.text(), 'dir="rtl"')
  })
})
