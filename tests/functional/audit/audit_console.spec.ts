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
