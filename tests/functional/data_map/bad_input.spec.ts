import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { FieldInvalid } from '#core/errors'
import DataCategory from '#data_map/models/data_category'
import Purpose from '#data_map/models/purpose'
import ProcessingActivity from '#data_map/models/processing_activity'
import System from '#data_map/models/system'
import DataFlow from '#data_map/models/data_flow'
import taxonomy from '#data_map/services/taxonomy_service'
import activities from '#data_map/services/activities_service'
import systems from '#data_map/services/systems_service'
import flows from '#data_map/services/flows_service'
import retentionPolicy from '#data_map/services/retention_policy'
import { seedDataMap, registeredSubprocessor } from '#tests/helpers/data_map'

async function fieldError(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (error instanceof FieldInvalid) return error.details[0] as { field: string; message: string }
    throw error
  }
  throw new Error('expected a FieldInvalid')
}

async function activityInput(purposeCode: string) {
  const purpose = await Purpose.findByOrFail('code', purposeCode)
  const category = await DataCategory.findByOrFail('code', 'customer.content.message')
  const system = await System.findByOrFail('code', 'hub_postgres')
  const subject = await db.from('data_subject_categories').where('code', 'customer').firstOrFail()
  return {
    code: `test_${purposeCode.replace('.', '_')}`,
    name: 'Test activity',
    purposeId: purpose.id,
    retentionDays: 365,
    categoryIds: [category.id],
    subjectIds: [subject.id],
    systemIds: [system.id],
  }
}

test.group('data_map / bad input changes nothing', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('a duplicate category code is a field error and no second row appears', async ({
    assert,
  }) => {
    const before = await DataCategory.query().count('* as total')
    const error = await fieldError(
      taxonomy.saveCategory({ code: 'customer.contact.phone', name: 'Again', sensitivity: 'low' })
    )
    assert.equal(error.field, 'code')
    assert.include(error.message, 'already used')
    const after = await DataCategory.query().count('* as total')
    assert.equal(after[0].$extras.total, before[0].$extras.total)
    const original = await DataCategory.findByOrFail('code', 'customer.contact.phone')
    assert.equal(original.name, 'Customer phone number')
  })

  test('a category code that is not a dot path is refused', async ({ assert }) => {
    const error = await fieldError(
      taxonomy.saveCategory({ code: 'phone', name: 'Phone', sensitivity: 'low' })
    )
    assert.equal(error.field, 'code')
    assert.isNull(await DataCategory.findBy('code', 'phone'))
  })

  test('a prohibited purpose attached to an activity is refused by the service', async ({
    assert,
  }) => {
    const input = await activityInput('ai.model_training')
    const error = await fieldError(activities.save(input))
    assert.equal(error.field, 'purposeId')
    assert.include(error.message, 'prohibited')
    assert.isNull(await ProcessingActivity.findBy('code', input.code))
  })

  test('the database refuses a prohibited purpose on an activity even when the service is bypassed', async ({
    assert,
  }) => {
    const purpose = await Purpose.findByOrFail('code', 'data.sale')
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.table('processing_activities').insert({
            code: 'sneaky',
            name: 'Sneaky',
            purpose_id: purpose.id,
            retention_days: 1,
            created_at: new Date(),
            updated_at: new Date(),
          })
        ),
      /prohibited/
    )
    // Moving an existing activity onto a prohibited purpose is refused too
    const activity = await ProcessingActivity.findByOrFail('code', 'intent_classification')
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx
            .from('processing_activities')
            .where('id', activity.id)
            .update({ purpose_id: purpose.id })
        ),
      /prohibited/
    )
  })

  test('a prohibited purpose can never be made allowed, by the service or in SQL', async ({
    assert,
  }) => {
    const purpose = await Purpose.findByOrFail('code', 'marketing.advertising')
    const error = await fieldError(
      taxonomy.savePurpose(
        { code: purpose.code, name: purpose.name, status: 'allowed' },
        purpose.id
      )
    )
    assert.equal(error.field, 'status')
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.from('purposes').where('id', purpose.id).update({ status: 'allowed' })
        ),
      /purposes_prohibited_never_allowed/
    )
    await purpose.refresh()
    assert.equal(purpose.status, 'prohibited')
  })

  test('retention of zero or below is refused for activities, rules and overrides', async ({
    assert,
  }) => {
    for (const days of [0, -5]) {
      const input = { ...(await activityInput('service.delivery')), retentionDays: days }
      const error = await fieldError(activities.save(input))
      assert.equal(error.field, 'retentionDays')
      assert.isNull(await ProcessingActivity.findBy('code', input.code))
    }
    const category = await DataCategory.query()
      .where('code', 'customer.content.message')
      .preload('retentionRule')
      .firstOrFail()
    const error = await fieldError(
      retentionPolicy.setRule(category.id, { durationDays: 0, startsFrom: 'created_at' })
    )
    assert.equal(error.field, 'durationDays')
    await category.retentionRule.refresh()
    assert.equal(category.retentionRule.durationDays, 365)
  })

  test('an unknown country code is refused for systems and data flows', async ({ assert }) => {
    const systemError = await fieldError(
      systems.save({ code: 'mars_db', name: 'Mars DB', kind: 'database', locationCountry: 'XX' })
    )
    assert.equal(systemError.field, 'locationCountry')
    assert.include(systemError.message, 'XX')
    assert.isNull(await System.findBy('code', 'mars_db'))

    const subprocessor = await registeredSubprocessor()
    const system = await System.findByOrFail('code', 'hub_postgres')
    const before = await DataFlow.query().count('* as total')
    const flowError = await fieldError(
      flows.save({
        name: 'To nowhere',
        systemId: system.id,
        subprocessorId: subprocessor.id,
        destinationCountry: 'ZZ',
        transferMechanism: 'scc_module_3',
      })
    )
    assert.equal(flowError.field, 'destinationCountry')
    const after = await DataFlow.query().count('* as total')
    assert.equal(after[0].$extras.total, before[0].$extras.total)
  })

  test('a flow to a country the vendor register does not list for that subprocessor is refused', async ({
    assert,
  }) => {
    const subprocessor = await registeredSubprocessor() // processes in DE only
    const system = await System.findByOrFail('code', 'hub_postgres')
    const input = {
      name: 'Backups',
      systemId: system.id,
      subprocessorId: subprocessor.id,
      transferMechanism: 'scc_module_3' as const,
    }
    const error = await fieldError(flows.save({ ...input, destinationCountry: 'US' }))
    assert.equal(error.field, 'destinationCountry')
    assert.include(error.message, 'subprocessor register')
    const flow = await flows.save({ ...input, destinationCountry: 'DE' })
    assert.equal(flow.destinationCountry, 'DE')
  })

  test('valid input saves and is audited', async ({ assert }) => {
    const system = await systems.save({
      code: 'backup_vault',
      name: 'Backup vault',
      kind: 'file_storage',
      locationCountry: 'de',
      securityMeasures: ['Encrypted backups'],
    })
    assert.equal(system.locationCountry, 'DE')
    const event = await db
      .from('audit_events')
      .where('action', 'data_map.system_created')
      .where('target_id', String(system.id))
      .first()
    assert.exists(event)
    const activity = await activities.save(await activityInput('service.delivery'))
    await activity.load('categories')
    assert.deepEqual(
      activity.categories.map((c) => c.code),
      ['customer.content.message']
    )
  })
})
