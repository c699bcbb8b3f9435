import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import ProcessingActivity from '#data_map/models/processing_activity'
import Purpose from '#data_map/models/purpose'
import taxonomy from '#data_map/services/taxonomy_service'
import DataCategory from '#data_map/models/data_category'
import { registeredSubprocessor, seedDataMap } from '#tests/helpers/data_map'

const TABLES = [
  'data_categories',
  'data_subject_categories',
  'purposes',
  'systems',
  'data_flows',
  'data_flow_categories',
  'processing_activities',
  'processing_activity_categories',
  'processing_activity_systems',
  'retention_rules',
  'subprocessors',
]

async function counts() {
  const result: Record<string, number> = {}
  for (const table of TABLES) {
    const [{ total }] = await db.from(table).count('* as total')
    result[table] = Number(total)
  }
  return result
}

test.group('data_map / seed', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('seeds the platform described in the privacy policy', async ({ assert }) => {
    await seedDataMap()
    const activities = await ProcessingActivity.query().preload('purpose').orderBy('code')
    assert.deepEqual(
      activities.map((a) => [a.code, a.purpose.code]),
      [
        ['authority_requests', 'legal.obligation'],
        ['conversation_handling', 'service.delivery'],
        ['human_routing', 'service.human_handoff'],
        ['intent_classification', 'service.ai_assistance'],
        ['order_processing', 'service.order_processing'],
        ['security_monitoring', 'security'],
      ]
    )
    const prohibited = await Purpose.query().where('status', 'prohibited').orderBy('code')
    assert.deepEqual(
      prohibited.map((p) => p.code),
      ['ai.model_training', 'data.sale', 'marketing.advertising', 'profiling.cross_merchant']
    )
    const transfers = await db
      .from('data_flows')
      .join('subprocessors', 'subprocessors.id', 'data_flows.subprocessor_id')
      .select('subprocessors.name', 'data_flows.destination_country')
      .orderBy('subprocessors.name')
    const names = transfers.map((t) => `${t.name}:${t.destination_country.trim()}`)
    assert.includeMembers(names, ['OpenAI:US', 'Amazon Web Services:DE', 'Meta Platforms:US'])
  })

  test('on an empty vendor register it only proposes subprocessors, never makes one effective', async ({
    assert,
  }) => {
    // Hide whatever the register already holds from the seed's name matching (its patterns are
    // substrings of the names, so the old name must not survive in the new one)
    await registeredSubprocessor('OpenAI Ireland')
    await registeredSubprocessor('Amazon Web Services EMEA')
    await db.rawQuery("UPDATE subprocessors SET name = 'zz-' || id")
    await seedDataMap()
    const rows = await db
      .from('subprocessors')
      .whereNot('name', 'like', 'zz-%')
      .select('name', 'status', 'effective_at')
    assert.isAbove(rows.length, 0)
    for (const row of rows) {
      assert.equal(row.status, 'proposed', row.name)
      assert.isNull(row.effective_at)
    }
  })

  test('re-running changes nothing and keeps edits made in the console', async ({ assert }) => {
    await seedDataMap()
    const before = await counts()
    const category = await DataCategory.findByOrFail('code', 'customer.contact.phone')
    await taxonomy.saveCategory(
      { code: category.code, name: 'Phone (edited)', sensitivity: 'high' },
      category.id
    )
    await seedDataMap()
    assert.deepEqual(await counts(), before)
    await category.refresh()
    assert.equal(category.name, 'Phone (edited)')
    assert.equal(category.sensitivity, 'high')
  })
})
