import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import fieldCipher from '#keys/services/field_cipher'
import { encryptedColumnsOf, migratedEncryptedModels } from '#keys/encrypted_columns'
import reportService from '#reports/services/report_service'
import Report from '#reports/models/report'
import MerchantTermination from '#dsr/models/merchant_termination'
import terminations from '#dsr/termination/termination_service'
import { executeCase } from '#dsr/execution/execute_case'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { customerWithMessages, dsrCase } from '#tests/helpers/dsr_subjects'

/** Every sealed value still stored for the merchant, and whether any of them opens. */
async function readableValues(merchantId: number) {
  let stored = 0
  let readable = 0
  for (const model of await migratedEncryptedModels()) {
    for (const spec of encryptedColumnsOf(model)) {
      if (!spec.merchant) continue
      const merchantColumn = model.$getColumn(spec.merchant)!.columnName
      const rows = await db
        .from(model.table)
        .where(merchantColumn, merchantId)
        .whereNotNull(spec.columnName)
      for (const row of rows) {
        stored++
        const subject = spec.subject
          ? `${spec.subject.kind}:${row[model.$getColumn(spec.subject.attribute)!.columnName]}`
          : null
        const opened = await fieldCipher
          .open(row[spec.columnName], {
            merchantId,
            subject,
            table: model.table,
            column: spec.columnName,
            row: String(row[model.$getColumn(model.primaryKey)!.columnName]),
          })
          .then(() => true)
          .catch(() => false)
        if (opened) readable++
      }
    }
  }
  return { stored, readable }
}

test.group('DSR / merchant termination', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('return, two-person approval, grace period, then nothing decryptable remains', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    await merchantUser(merchant, 'merchant_admin')
    const { customer } = await customerWithMessages(merchant, { phone: '+201001234567' }, [
      'order 1',
      'order 2',
    ])
    // An earlier access request left a package and a report sealed under the merchant's key
    const access = await executeCase(await dsrCase(merchant, 'access', { phone: '+201001234567' }))
    const token = await bearerToken(merchant, { scopes: ['termination:request'] })

    const requested = await client
      .post('/api/v1/termination')
      .header('authorization', `Bearer ${token}`)
      .json({ choice: 'return' })
    requested.assertStatus(201)
    requested.assertBodyContains({
      data: { choice: 'return', status: 'requested', exportReady: true },
    })
    const id = requested.body().data.id as number

    const again = await client
      .post('/api/v1/termination')
      .header('authorization', `Bearer ${token}`)
      .json({ choice: 'delete' })
    again.assertStatus(409)

    const returned = await client
      .get(`/api/v1/terminations/${id}/export`)
      .header('authorization', `Bearer ${token}`)
    returned.assertStatus(200)
    const pkg = JSON.parse(returned.text())
    assert.lengthOf(pkg.tables.messages, 2)
    assert.equal(pkg.tables.customers[0].id, customer.id)

    // Another merchant sees nothing of it
    const other = await createMerchant()
    const otherToken = await bearerToken(other, { scopes: ['termination:request'] })
    const foreign = await client
      .get(`/api/v1/terminations/${id}/export`)
      .header('authorization', `Bearer ${otherToken}`)
    foreign.assertStatus(404)
    const none = await client
      .get('/api/v1/termination')
      .header('authorization', `Bearer ${otherToken}`)
    none.assertStatus(200)
    none.assertBody({ data: null })

    // Staff: one prepares, the same person may not approve, another does
    const dpo = await staffUser('dpo')
    const admin = await staffUser('admin')
    const prepared = await client
      .post(`/api/v1/terminations/${id}/prepare`)
      .actingAs(dpo)
      .withCsrfToken()
    prepared.assertStatus(200)
    const selfApproval = await client
      .post(`/api/v1/terminations/${id}/approve`)
      .actingAs(dpo)
      .withCsrfToken()
    selfApproval.assertStatus(403)
    assert.equal(selfApproval.body().error.code, 'segregation_of_duties')
    const approved = await client
      .post(`/api/v1/terminations/${id}/approve`)
      .actingAs(admin)
      .withCsrfToken()
    approved.assertStatus(200)
    approved.assertBodyContains({ data: { status: 'approved' } })
    // Each step is one event on the termination, named for the person who took it
    const steps = await db
      .from('audit_events')
      .where('target_type', 'merchant_termination')
      .where('target_id', String(id))
      .whereLike('action', 'termination.%')
      .orderBy('id')
    assert.deepEqual(
      steps.map((e) => [e.action, e.actor_type, e.actor_id, e.merchant_id]),
      [
        ['termination.requested', 'token', steps[0].actor_id, merchant.id],
        ['termination.prepared', 'user', String(dpo.id), merchant.id],
        ['termination.approved', 'user', String(admin.id), merchant.id],
      ]
    )
    assert.equal(steps[0].meta.choice, 'return')
    const approvedRow = await MerchantTermination.findOrFail(id)
    assert.equal(steps[2].meta.deleteAfter, approvedRow.deleteAfter.toISO())
    const terminating = await db.from('merchants').where('id', merchant.id).first()
    assert.equal(terminating.status, 'terminating')

    // Not before the grace period
    const termination = await MerchantTermination.findOrFail(id)
    await assert.rejects(() => terminations.execute(termination), /grace period/)
    termination.deleteAfter = DateTime.utc().minus({ minutes: 1 })
    await termination.save()
    assert.lengthOf(await terminations.due(), 1)

    const before = await readableValues(merchant.id)
    assert.isAbove(before.readable, 0)
    await terminations.execute(termination)

    const after = await readableValues(merchant.id)
    assert.equal(after.readable, 0, `${after.stored} values stored, none may open`)
    for (const table of ['customers', 'conversations', 'messages', 'dsr_exports']) {
      assert.lengthOf(await db.from(table).where('merchant_id', merchant.id), 0, table)
    }
    const merchantRow = await db.from('merchants').where('id', merchant.id).first()
    assert.equal(merchantRow.status, 'terminated')
    assert.isNull(merchantRow.dpo_email)
    const users = await db.from('users').where('merchant_id', merchant.id).whereNull('disabled_at')
    assert.lengthOf(users, 0)
    const denied = await client
      .get('/api/v1/termination')
      .header('authorization', `Bearer ${token}`)
    denied.assertStatus(401)

    // Earlier reports sealed under the merchant's key are gone with it; the certificate is not
    const accessReport = (access.artifacts.find((a) => a.kind === 'report') as any).documentId
    await assert.rejects(async () =>
      reportService.read(await Report.findByOrFail('documentId', accessReport))
    )
    const done = await MerchantTermination.findOrFail(id)
    assert.equal(done.status, 'completed')
    const certificate = await Report.findByOrFail('documentId', done.certificateDocumentId!)
    assert.equal(certificate.kind, 'termination-certificate')
    const verdict = await reportService.verify(await reportService.read(certificate))
    assert.isTrue(verdict.valid)
    // What remains is evidence: the termination, the certificate, the audit trail
    const events = await db
      .from('audit_events')
      .where('merchant_id', merchant.id)
      .where('action', 'termination.executed')
    assert.lengthOf(events, 1)
    assert.equal(events[0].actor_type, 'system')
    assert.deepEqual(events[0].meta.counts, done.counts)
  }).timeout(60_000)

  test('cancelling reopens the merchant and records who cancelled', async ({ assert }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const actor = { type: 'user' as const, id: admin.id }
    const termination = await terminations.request(merchant, 'delete', { actor, userId: admin.id })
    await db.from('merchants').where('id', merchant.id).update({ status: 'terminating' })
    await terminations.cancel(termination, actor)
    const cancelled = await MerchantTermination.findOrFail(termination.id)
    assert.equal(cancelled.status, 'cancelled')
    const merchantRow = await db.from('merchants').where('id', merchant.id).first()
    assert.equal(merchantRow.status, 'active')
    const event = await db
      .from('audit_events')
      .where('action', 'termination.cancelled')
      .where('target_id', String(termination.id))
      .firstOrFail()
    assert.equal(event.target_type, 'merchant_termination')
    assert.equal(event.merchant_id, merchant.id)
    assert.equal(event.actor_id, String(admin.id))
    await assert.rejects(() => terminations.cancel(termination, actor), /no longer be cancelled/)
  })

  test('the portal page asks for a choice and records the request', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const page = await client.get('/portal/termination').actingAs(admin)
    page.assertStatus(200)
    assert.include(page.text(), 'End of service')
    const posted = await client
      .post('/portal/termination')
      .actingAs(admin)
      .withCsrfToken()
      .form({ choice: 'delete' })
      .redirects(0)
    posted.assertStatus(302)
    const termination = await terminations.current(merchant.id)
    assert.equal(termination?.choice, 'delete')
    assert.equal(termination?.status, 'requested')
    const agent = await merchantUser(merchant, 'merchant_agent')
    const refused = await client.post('/api/v1/termination').actingAs(agent).withCsrfToken().json({
      choice: 'delete',
    })
    refused.assertStatus(403)
  })
})
