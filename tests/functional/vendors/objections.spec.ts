import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import Objection from '#vendors/models/objection'
import MerchantNotification from '#vendors/models/merchant_notification'
import vendors from '#vendors/services/vendors'
import objections from '#vendors/services/objections'
import subprocessorRegistry from '#vendors/services/subprocessor_registry'
import {
  closeObjectionWindow,
  effectiveSubprocessor,
  publishedSubprocessor,
  subprocessorInput,
  objectionStatus,
} from '#tests/helpers/vendors'

test.group('vendors / objections', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a merchant objects over the API with a bearer token; the flow is blocked until resolved', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['objections:create'] })
    const subprocessor = await effectiveSubprocessor()
    assert.isTrue(await vendors.isFlowAllowed(merchant.id, subprocessor.id))

    await subprocessorRegistry.update(
      subprocessor,
      subprocessorInput({ name: subprocessor.name, processingCountries: ['US', 'IN'] })
    )
    await subprocessorRegistry.publishChange(subprocessor)

    const response = await client
      .post(`/api/v1/subprocessors/${subprocessor.id}/objections`)
      .header('authorization', `Bearer ${token}`)
      .json({ reason: 'We cannot accept processing in India under our contracts.' })
    response.assertStatus(201)
    response.assertBodyContains({
      data: { status: 'open', raisedVia: 'api', merchantId: merchant.id },
    })
    assert.isFalse(await vendors.isFlowAllowed(merchant.id, subprocessor.id))

    const other = await createMerchant()
    assert.isTrue(
      await vendors.isFlowAllowed(other.id, subprocessor.id),
      'only the objecting merchant is blocked'
    )

    const objection = await Objection.findOrFail(response.body().data.id)
    await objections.resolve(
      objection,
      'upheld',
      'Merchant data stays off this vendor; routed to humans.'
    )
    assert.isFalse(await vendors.isFlowAllowed(merchant.id, subprocessor.id), 'upheld still blocks')

    const second = await Objection.create({
      subprocessorId: subprocessor.id,
      noticeId: objection.noticeId,
      merchantId: other.id,
      reason: 'Unsure about the change, please explain.',
      status: 'open',
      raisedVia: 'portal',
    })
    await objections.resolve(second, 'withdrawn', 'Explained by phone; merchant withdrew.')
    assert.isTrue(
      await vendors.isFlowAllowed(other.id, subprocessor.id),
      'a withdrawn objection unblocks'
    )
  })

  test('a missing reason is a validation error and records nothing', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['objections:create'] })
    const { subprocessor } = await publishedSubprocessor()
    const response = await client
      .post(`/api/v1/subprocessors/${subprocessor.id}/objections`)
      .header('authorization', `Bearer ${token}`)
      .json({})
    response.assertStatus(422)
    response.assertBodyContains({
      error: { code: 'validation_failed', details: [{ field: 'reason' }] },
    })
    assert.lengthOf(await Objection.all(), 0)
  })

  test('an objection after the window closed is refused and changes nothing', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['objections:create'] })
    const { subprocessor } = await publishedSubprocessor()
    await closeObjectionWindow(subprocessor.id)
    const response = await client
      .post(`/api/v1/subprocessors/${subprocessor.id}/objections`)
      .header('authorization', `Bearer ${token}`)
      .json({ reason: 'Too late, but we object to this vendor.' })
    response.assertStatus(422)
    response.assertBodyContains({ error: { code: 'objection_window_closed' } })
    assert.lengthOf(await Objection.all(), 0)
    assert.isTrue((await vendors.isFlowAllowed(merchant.id, subprocessor.id)) === false) // not yet effective
  })

  test('a second objection to the same notice is a conflict', async ({ client }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['objections:create'] })
    const { subprocessor } = await publishedSubprocessor()
    const send = () =>
      client
        .post(`/api/v1/subprocessors/${subprocessor.id}/objections`)
        .header('authorization', `Bearer ${token}`)
        .json({ reason: 'We object to this new vendor for our data.' })
    const first = await send()
    first.assertStatus(201)
    const again = await send()
    again.assertStatus(409)
    again.assertBodyContains({ error: { code: 'objection_exists' } })
  })

  test('a token without the objections scope is refused', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['notices:read'] })
    const { subprocessor } = await publishedSubprocessor()
    const response = await client
      .post(`/api/v1/subprocessors/${subprocessor.id}/objections`)
      .header('authorization', `Bearer ${token}`)
      .json({ reason: 'We object to this new vendor for our data.' })
    response.assertStatus(403)
    assert.lengthOf(await Objection.all(), 0)
  })

  test('merchant A cannot see merchant B objections, and cannot resolve any', async ({
    client,
    assert,
  }) => {
    const a = await createMerchant()
    const b = await createMerchant()
    const tokenA = await bearerToken(a, { scopes: ['objections:create', 'notices:read'] })
    const tokenB = await bearerToken(b, { scopes: ['objections:create', 'notices:read'] })
    const { subprocessor } = await publishedSubprocessor()
    const created = await client
      .post(`/api/v1/subprocessors/${subprocessor.id}/objections`)
      .header('authorization', `Bearer ${tokenB}`)
      .json({ reason: 'Merchant B objects to this vendor.' })
    created.assertStatus(201)
    const objectionId = created.body().data.id

    const list = await client.get('/api/v1/objections').header('authorization', `Bearer ${tokenA}`)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 0)
    const own = await client.get('/api/v1/objections').header('authorization', `Bearer ${tokenB}`)
    assert.lengthOf(own.body().data, 1)

    const show = await client
      .get(`/api/v1/objections/${objectionId}`)
      .header('authorization', `Bearer ${tokenA}`)
    show.assertStatus(404)
    const showOwn = await client
      .get(`/api/v1/objections/${objectionId}`)
      .header('authorization', `Bearer ${tokenB}`)
    showOwn.assertStatus(200)

    const adminA = await merchantUser(a, 'merchant_admin')
    const resolve = await client
      .post(`/vendors/objections/${objectionId}/resolve`)
      .actingAs(adminA)
      .withCsrfToken()
      .form({ outcome: 'withdrawn', note: 'Merchant A tries to close B.' })
      .redirects(0)
    assert.oneOf(resolve.status(), [403, 404])
    assert.equal(await objectionStatus(objectionId), 'open')

    const portal = await client.get('/portal/subprocessors').actingAs(adminA)
    portal.assertStatus(200)
    assert.notInclude(portal.text(), 'Merchant B objects')
  })

  test('staff resolve an objection from the console with an outcome and a note', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const dpo = await staffUser('dpo')
    const { subprocessor } = await publishedSubprocessor()
    const { objection } = await objections.raise({
      subprocessorId: subprocessor.id,
      merchantId: merchant.id,
      reason: 'We object to this vendor please.',
      via: 'portal',
    })

    const page = await client.get('/vendors/objections').actingAs(dpo)
    page.assertStatus(200)
    assert.include(page.text(), 'We object to this vendor please.')
    assert.include(page.text(), 'Objections per subprocessor')
    assert.include(page.text(), 'id="objections-data"')

    const missingNote = await client
      .post(`/vendors/objections/${objection.id}/resolve`)
      .actingAs(dpo)
      .withCsrfToken()
      .header('referer', '/vendors/objections')
      .form({ outcome: 'rejected', note: '' })
      .redirects(0)
    missingNote.assertStatus(302)
    assert.equal(await objectionStatus(objection.id), 'open')

    const response = await client
      .post(`/vendors/objections/${objection.id}/resolve`)
      .actingAs(dpo)
      .withCsrfToken()
      .form({ outcome: 'rejected', note: 'The change does not affect this merchant.' })
      .redirects(0)
    response.assertStatus(302)
    const resolved = await Objection.findOrFail(objection.id)
    assert.equal(resolved.status, 'rejected')
    assert.equal(resolved.resolvedByUserId, dpo.id)
    assert.equal(resolved.resolutionNote, 'The change does not affect this merchant.')
    const notification = await MerchantNotification.query()
      .where({ merchantId: merchant.id, sourceType: 'subprocessor_objection' })
      .firstOrFail()
    assert.include(notification.title, 'rejected')
    assert.equal(notification.body, 'The change does not affect this merchant.')
  })

  test('a merchant admin objects through the portal', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const { subprocessor, notice } = await publishedSubprocessor()

    const page = await client.get('/portal/subprocessors').actingAs(admin)
    page.assertStatus(200)
    assert.include(page.text(), subprocessor.name)
    assert.include(page.text(), 'New since your last visit (1)')
    const again = await client.get('/portal/subprocessors').actingAs(admin)
    assert.notInclude(again.text(), 'New since your last visit')
    assert.include(page.text(), `reason-${notice.id}`)

    const response = await client
      .post(`/portal/subprocessors/${subprocessor.id}/objections`)
      .actingAs(admin)
      .withCsrfToken()
      .form({ reason: 'Our customers are told data stays in Egypt.' })
      .redirects(0)
    response.assertStatus(302)
    const objection = await Objection.query().where('merchant_id', merchant.id).firstOrFail()
    assert.equal(objection.raisedVia, 'portal')
    assert.equal(objection.raisedByUserId, admin.id)
  })

  test('a retried POST with the same Idempotency-Key returns the first objection', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['objections:create'] })
    const { subprocessor } = await publishedSubprocessor()
    const send = () =>
      client
        .post(`/api/v1/subprocessors/${subprocessor.id}/objections`)
        .header('authorization', `Bearer ${token}`)
        .header('idempotency-key', 'retry-7f3a')
        .json({ reason: 'We object to this new vendor for our data.' })
    const first = await send()
    first.assertStatus(201)
    const replay = await send()
    replay.assertStatus(201)
    replay.assertHeader('idempotent-replayed', 'true')
    assert.equal(replay.body().data.id, first.body().data.id)
    assert.lengthOf(await Objection.all(), 1)
  })

  test('the notices API lists what was delivered to the caller merchant only', async ({
    client,
    assert,
  }) => {
    const { notice } = await publishedSubprocessor()
    const late = await createMerchant()
    const token = await bearerToken(late, { scopes: ['notices:read'] })
    const before = await client
      .get('/api/v1/subprocessor-notices')
      .header('authorization', `Bearer ${token}`)
    before.assertStatus(200)
    assert.notInclude(
      before.body().data.map((n: { id: number }) => n.id),
      notice.id,
      'a merchant that joined after the notice was not sent it'
    )

    const { notice: second, subprocessor } = await publishedSubprocessor()
    const after = await client
      .get('/api/v1/subprocessor-notices')
      .header('authorization', `Bearer ${token}`)
    const listed = after.body().data.find((n: { id: number }) => n.id === second.id)
    assert.deepInclude(listed, {
      subprocessorId: subprocessor.id,
      kind: 'addition',
      objectionWindowOpen: true,
    })
    assert.match(listed.objectionDeadline, /Z$/)
    assert.properties(after.body().meta, ['total', 'page', 'perPage', 'lastPage'])
  })
})
