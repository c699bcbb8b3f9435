import { test } from '@japa/runner'
import type { ChainVerdict } from '#audit/services/audit_trail'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import auditTrail from '#audit/services/audit_trail'
import { createMerchant, staffUser } from '#tests/helpers/actors'

test.group('Audit trail console', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('auditors browse the trail and filter it by action, outcome, actor, merchant and date', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const generated = await auditTrail.record({
      action: 'report.generated',
      actor: { type: 'user', id: 4242 },
      merchantId: merchant.id,
      target: { type: 'report', id: 'r-1' },
    })
    const denied = await auditTrail.record({
      action: 'access.denied',
      outcome: 'denied',
      actor: { type: 'user', id: 77 },
    })
    const auditor = await staffUser('auditor')
    const row = (id: number) => `data-event-id="${id}"`

    const all = await client.get('/audit').actingAs(auditor)
    all.assertStatus(200)
    assert.include(all.text(), row(generated.id))
    assert.include(all.text(), row(denied.id))

    const byPrefix = await client.get('/audit').qs({ action: 'report.' }).actingAs(auditor)
    assert.include(byPrefix.text(), row(generated.id))
    assert.notInclude(byPrefix.text(), row(denied.id))

    const byOutcome = await client.get('/audit').qs({ outcome: 'denied' }).actingAs(auditor)
    assert.include(byOutcome.text(), row(denied.id))
    assert.notInclude(byOutcome.text(), row(generated.id))

    const byActor = await client
      .get('/audit')
      .qs({ actorType: 'user', actorId: '4242' })
      .actingAs(auditor)
    assert.include(byActor.text(), row(generated.id))
    assert.notInclude(byActor.text(), row(denied.id))

    const byMerchant = await client.get('/audit').qs({ merchant: merchant.slug }).actingAs(auditor)
    assert.include(byMerchant.text(), row(generated.id))
    assert.notInclude(byMerchant.text(), row(denied.id))

    const today = generated.occurredAt.toUTC().toISODate()!
    const inRange = await client.get('/audit').qs({ from: today, to: today }).actingAs(auditor)
    assert.include(inRange.text(), row(generated.id))
    const future = await client.get('/audit').qs({ from: '2999-01-01' }).actingAs(auditor)
    assert.notInclude(future.text(), row(generated.id))
    assert.include(future.text(), 'No events match.')
  })

  test('the action filter picks a recorded action by its label, and filters by it', async ({
    client,
    assert,
  }) => {
    const generated = await auditTrail.record({ action: 'report.generated' })
    const assigned = await auditTrail.record({ action: 'role.assigned' })
    const auditor = await staffUser('auditor')
    const row = (id: number) => `data-event-id="${id}"`

    const page = await client.get('/audit').actingAs(auditor)
    const picker = page.text().match(/<select id="action" name="action">[^]*?<\/select>/)?.[0] ?? ''
    assert.match(picker, /<option value="report\.generated"\s*>Report generated<\/option>/)
    assert.match(picker, /<option value="role\.assigned"\s*>Role assigned<\/option>/)
    assert.notMatch(page.text(), /<input[^>]*name="action"/, 'no free text for the action')

    const picked = await client.get('/audit').qs({ action: 'report.generated' }).actingAs(auditor)
    assert.include(picked.text(), row(generated.id))
    assert.notInclude(picked.text(), row(assigned.id))
    assert.match(picked.text(), /<option value="report\.generated" selected>Report generated/)

    // In Arabic the picker reads in Arabic
    const arabic = await client
      .get('/audit')
      .header('accept-language', 'ar')
      .qs({ action: 'report.generated' })
      .actingAs(auditor)
    assert.include(arabic.text(), '<option value="report.generated" selected>إنشاء تقرير</option>')
  })

  test('those who may read users pick an actor by name; the filter keeps to that user', async ({
    client,
    assert,
  }) => {
    const person = await staffUser('privacy_analyst')
    person.fullName = `Picked Person ${Date.now().toString(36)}`
    await person.save()
    const asUser = await auditTrail.record({
      action: 'test.picked_actor',
      actor: { type: 'user', id: String(person.id) },
    })
    // A token with the same number is another actor
    const asToken = await auditTrail.record({
      action: 'test.picked_actor',
      actor: { type: 'token', id: String(person.id) },
    })
    const auditor = await staffUser('auditor')
    const row = (id: number) => `data-event-id="${id}"`

    const page = await client.get('/audit').actingAs(auditor)
    page.assertStatus(200)
    assert.include(page.text(), `<option value="${person.id}" >${person.fullName}</option>`)
    assert.notMatch(page.text(), /name="actorId"/, 'no account numbers to type')

    const picked = await client.get('/audit').qs({ user: person.id }).actingAs(auditor)
    picked.assertStatus(200)
    assert.include(picked.text(), row(asUser.id))
    assert.notInclude(picked.text(), row(asToken.id))
    assert.include(
      picked.text(),
      `<option value="${person.id}" selected>${person.fullName}</option>`
    )

    // A link by account number still filters, and shows the number it filters by
    const byId = await client
      .get('/audit')
      .qs({ actorType: 'token', actorId: String(person.id) })
      .actingAs(auditor)
    assert.include(byId.text(), row(asToken.id))
    assert.notInclude(byId.text(), row(asUser.id))
    assert.include(byId.text(), `name="actorId" type="text" size="8" value="${person.id}"`)
  })

  test('the list is paged, newest first', async ({ client, assert }) => {
    const first = await auditTrail.record({ action: 'test.paging' })
    const second = await auditTrail.record({ action: 'test.paging' })
    const auditor = await staffUser('auditor')
    const page1 = await client
      .get('/audit')
      .qs({ action: 'test.paging', perPage: 1 })
      .actingAs(auditor)
    const page2 = await client
      .get('/audit')
      .qs({ action: 'test.paging', perPage: 1, page: 2 })
      .actingAs(auditor)
    assert.include(page1.text(), `data-event-id="${second.id}"`)
    assert.notInclude(page1.text(), `data-event-id="${first.id}"`)
    assert.include(page2.text(), `data-event-id="${first.id}"`)
    assert.include(page1.text(), 'Page 1 of 2')
  })

  test('the verify button shows the verdict and names the first broken row', async ({
    client,
    assert,
  }) => {
    const auditor = await staffUser('auditor')
    const intact = await client.post('/audit/verify').actingAs(auditor).withCsrfToken().redirects(0)
    intact.assertStatus(302)
    assert.equal(intact.header('location'), '/audit')
    assert.isTrue((intact.flashMessages().chainVerdict as ChainVerdict).valid)

    const victim = await auditTrail.record({ action: 'test.victim' })
    await db.rawQuery('SET LOCAL session_replication_role = replica')
    await db.from('audit_events').where('id', victim.id).update({ action: 'test.rewritten' })
    await db.rawQuery('SET LOCAL session_replication_role = origin')

    const broken = await client.post('/audit/verify').actingAs(auditor).withCsrfToken().redirects(0)
    const verdict = broken.flashMessages().chainVerdict as ChainVerdict
    assert.deepInclude(verdict, { valid: false, brokenAt: victim.id })

    const page = await client
      .get('/audit')
      .actingAs(auditor)
      .withSession({ __flash__: { chainVerdict: verdict } })
    assert.include(page.text(), 'Chain broken')
    assert.include(page.text(), `event <strong>#${victim.id}</strong>`)
  })

  test('only audit readers see the page, and only auditors may run verification', async ({
    client,
    assert,
  }) => {
    const analyst = await staffUser('privacy_analyst')
    const forbidden = await client.get('/audit').actingAs(analyst)
    forbidden.assertStatus(403)

    const dpo = await staffUser('dpo')
    const page = await client.get('/audit').actingAs(dpo)
    page.assertStatus(200)
    assert.notInclude(page.text(), 'Verify the chain')
    const verify = await client.post('/audit/verify').actingAs(dpo).withCsrfToken()
    verify.assertStatus(403)
  })
})
