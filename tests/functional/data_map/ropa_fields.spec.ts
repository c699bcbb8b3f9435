import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import activities from '#data_map/services/activities_service'
import Purpose from '#data_map/models/purpose'
import DataCategory from '#data_map/models/data_category'
import DataSubjectCategory from '#data_map/models/data_subject_category'
import System from '#data_map/models/system'
import ProcessingActivity from '#data_map/models/processing_activity'
import Merchant from '#merchants/models/merchant'
import { FieldInvalid } from '#core/errors'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'

const DETAILS = {
  contactAddress: '12 Nile Street, Zamalek, Cairo 11211, Egypt',
  contactEmail: 'privacy@nile-shop.example',
  dpoName: 'Salma Fathy',
  dpoEmail: 'dpo@nile-shop.example',
  representativeName: 'EU Rep Services GmbH',
  representativeContact: 'Friedrichstr. 10, 10117 Berlin, rep@eurep.example',
}

test.group('data_map / RoPA: every Art. 30(2) field', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('a merchant admin keeps its contact, DPO and representative in the portal; the RoPA prints them', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const agent = await merchantUser(merchant, 'merchant_agent')

    const bad = await client
      .post('/portal/controller-details')
      .actingAs(admin)
      .withCsrfToken()
      .header('referer', '/portal/controller-details')
      .form({ ...DETAILS, dpoEmail: '' })
      .redirects(0)
    bad.assertStatus(302)
    assert.property(bad.flashMessages().errors, 'dpoEmail')

    const saved = await client
      .post('/portal/controller-details')
      .actingAs(admin)
      .withCsrfToken()
      .form(DETAILS)
      .redirects(0)
    saved.assertStatus(302)
    // The people named are sealed at rest
    const raw = await db.from('merchants').where('id', merchant.id).firstOrFail()
    for (const column of ['contact_email', 'dpo_name', 'dpo_email', 'representative_name']) {
      assert.match(raw[column], /^e1\./, column)
    }
    const event = await db
      .from('audit_events')
      .where({ action: 'merchants.controller_details_updated', merchant_id: merchant.id })
      .firstOrFail()
    assert.equal(event.actor_type, 'user')

    const page = await client.get('/portal/controller-details').actingAs(agent)
    page.assertStatus(200)
    assert.include(page.text(), 'Salma Fathy')
    const denied = await client
      .post('/portal/controller-details')
      .actingAs(agent)
      .withCsrfToken()
      .form(DETAILS)
      .redirects(0)
    denied.assertStatus(403)

    const token = await bearerToken(merchant, { scopes: ['ropa:read'] })
    const record = await client.get('/api/v1/ropa').header('authorization', `Bearer ${token}`)
    const controller = record.body().controllers[0]
    assert.deepEqual(controller.contact, {
      address: DETAILS.contactAddress,
      email: DETAILS.contactEmail,
    })
    assert.deepEqual(controller.dpo, { name: 'Salma Fathy', email: 'dpo@nile-shop.example' })
    assert.deepEqual(controller.representative, {
      name: DETAILS.representativeName,
      contact: DETAILS.representativeContact,
    })
    const csv = await client.get('/api/v1/ropa.csv').header('authorization', `Bearer ${token}`)
    assert.include(csv.text(), 'Salma Fathy <dpo@nile-shop.example>')
    assert.include(csv.text(), 'EU Rep Services GmbH')
  })

  test('every third-country transfer the registers know is listed with the system it comes from', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const dpo = await staffUser('dpo')
    const record = await client.get(`/api/v1/ropa?merchant=${merchant.id}`).actingAs(dpo)
    const transfers = record.body().controllers[0].transfers as any[]
    // AWS hosts in Frankfurt (a mapped flow) and lists the US for support access (the register)
    const support = transfers.find(
      (t) => t.recipient === 'Amazon Web Services' && t.country === 'US'
    )
    assert.exists(support, 'AWS US support access is in the record')
    assert.equal(support.source, 'subprocessor_register')
    assert.include(support.fromSystem, 'Hub PostgreSQL')
    for (const transfer of transfers) assert.isNotEmpty(transfer.fromSystem)

    const csv = await client.get(`/api/v1/ropa.csv?merchant=${merchant.id}`).actingAs(dpo)
    assert.include(csv.text(), 'to Amazon Web Services in United States')
  })

  test('the Art. 32 measures are in the JSON and the CSV, each once, without stray separators', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const database = await System.findByOrFail('code', 'hub_postgres')
    database.securityMeasures = [...database.securityMeasures, ' Private network only; ', '']
    await database.save()
    const dpo = await staffUser('dpo')
    const response = await client.get(`/api/v1/ropa?merchant=${merchant.id}`).actingAs(dpo)
    const record = response.body()
    const measures: string[] = record.securityMeasures
    assert.isAbove(measures.length, 3)
    assert.equal(new Set(measures.map((m) => m.toLowerCase())).size, measures.length)
    for (const measure of measures) {
      assert.notMatch(measure, /^\s|\s$|;$|^;/)
      assert.isNotEmpty(measure)
    }

    const csv = await client.get(`/api/v1/ropa.csv?merchant=${merchant.id}`).actingAs(dpo)
    const [header, ...rows] = csv.text().trim().split('\r\n')
    const column = header.split(',').indexOf('security_measures')
    assert.isAbove(column, -1)
    for (const row of rows) {
      assert.notMatch(row, /;\s*;|;\s*,|;\s*"?$|,\s*;/)
    }
    assert.include(csv.text(), 'AES-256-GCM')
  })

  test('merchants’ retention instructions appear in their record, per category', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['retention:manage', 'ropa:read'] })
    const set = await client
      .put('/api/v1/retention/overrides/customer.content.media')
      .header('authorization', `Bearer ${token}`)
      .json({ durationDays: 30, reason: 'Receipts only' })
    set.assertStatus(200)

    const ownResponse = await client.get('/api/v1/ropa').header('authorization', `Bearer ${token}`)
    const own = ownResponse.body()
    const controller = own.controllers[0]
    assert.deepEqual(controller.retentionInstructions, [
      {
        category: 'customer.content.media',
        days: 30,
        reason: 'Receipts only',
        recordedBy: 'merchant',
      },
    ])
    const conversation = controller.activities.find((a: any) => a.code === 'conversation_handling')
    const media = conversation.retention.categories.find(
      (c: any) => c.code === 'customer.content.media'
    )
    assert.deepEqual(media, {
      code: 'customer.content.media',
      ruleDays: 180,
      instructionDays: 30,
      appliesDays: 30,
    })
    const dpo = await staffUser('dpo')
    const theirsResponse = await client.get(`/api/v1/ropa?merchant=${other.id}`).actingAs(dpo)
    const theirs = theirsResponse.body()
    assert.lengthOf(theirs.controllers[0].retentionInstructions, 0)
  })

  test('an activity cannot state a retention shorter than its categories’ rules', async ({
    assert,
  }) => {
    const purpose = await Purpose.findByOrFail('code', 'service.order_processing')
    const order = await DataCategory.findByOrFail('code', 'customer.commerce.order') // 1095 days
    const customer = await DataSubjectCategory.findByOrFail('code', 'customer')
    const database = await System.findByOrFail('code', 'hub_postgres')
    const input = {
      code: 'short_orders',
      name: 'Orders kept briefly',
      purposeId: purpose.id,
      retentionDays: 400,
      categoryIds: [order.id],
      subjectIds: [customer.id],
      systemIds: [database.id],
    }
    const error = await activities.save(input).catch((e) => e)
    assert.instanceOf(error, FieldInvalid)
    assert.equal(error.details[0].field, 'retentionDays')
    assert.match(error.message, /customer\.commerce\.order \(1095 days\)/)
    assert.isNull(await ProcessingActivity.findBy('code', 'short_orders'))

    const saved = await activities.save({ ...input, retentionDays: 1095 })
    assert.equal(saved.retentionDays, 1095)
    // The seeded activities agree with their categories too
    const seeded = await ProcessingActivity.query().preload('categories', (q) =>
      q.preload('retentionRule')
    )
    for (const activity of seeded) {
      for (const category of activity.categories) {
        assert.isAtMost(category.retentionRule.durationDays, activity.retentionDays, activity.code)
      }
    }
  })

  test('a merchant’s agreed objection window is stored and shown; it cannot be below 30 days', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    await merchant.refresh()
    assert.equal(merchant.objectionWindowDays, 30)
    await Merchant.query().where('id', merchant.id).update({ objection_window_days: 45 })
    const admin = await merchantUser(merchant, 'merchant_admin')
    const page = await client.get('/portal/controller-details').actingAs(admin)
    assert.include(page.text(), '45 days')
  })
})
