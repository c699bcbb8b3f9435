import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import purposeRegistry from '#data_map/services/purpose_registry'
import activities from '#data_map/services/activities_service'
import Purpose from '#data_map/models/purpose'
import DataCategory from '#data_map/models/data_category'
import DataSubjectCategory from '#data_map/models/data_subject_category'
import System from '#data_map/models/system'
import taxonomy from '#data_map/services/taxonomy_service'
import { createMerchant } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'

test.group('data_map / purpose registry for guards', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('an AI call on message text is allowed by the seeded intent classification activity', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const verdict = await purposeRegistry.check({
      merchantId: merchant.id,
      purpose: 'service.ai_assistance',
      categories: ['customer.content.message'],
    })
    assert.deepEqual(verdict, { allowed: true, activities: ['intent_classification'] })
  })

  test('prohibited and unknown purposes are refused with their reason', async ({ assert }) => {
    const merchant = await createMerchant()
    const training = await purposeRegistry.check({
      merchantId: merchant.id,
      purpose: 'ai.model_training',
      categories: ['customer.content.message'],
    })
    assert.deepInclude(training, { allowed: false, reason: 'purpose_prohibited' })
    const unknown = await purposeRegistry.check({
      merchantId: merchant.id,
      purpose: 'fun.and.games',
      categories: [],
    })
    assert.deepInclude(unknown, { allowed: false, reason: 'purpose_unknown' })
  })

  test('categories outside the purpose’s activities are named as uncovered', async ({ assert }) => {
    const merchant = await createMerchant()
    const verdict = await purposeRegistry.check({
      merchantId: merchant.id,
      purpose: 'service.ai_assistance',
      categories: ['customer.content.message', 'customer.commerce.address'],
    })
    assert.deepEqual(verdict, {
      allowed: false,
      reason: 'categories_not_covered',
      uncovered: ['customer.commerce.address'],
    })
  })

  test('a merchant-scoped activity covers only its merchant, and a parent code covers its children', async ({
    assert,
  }) => {
    const mine = await createMerchant()
    const theirs = await createMerchant()
    const parent = await taxonomy.saveCategory({
      code: 'customer.loyalty',
      name: 'Loyalty data',
      sensitivity: 'low',
    })
    const purpose = await Purpose.findByOrFail('code', 'service.order_processing')
    const customer = await DataSubjectCategory.findByOrFail('code', 'customer')
    const database = await System.findByOrFail('code', 'hub_postgres')
    await activities.save({
      code: 'loyalty',
      name: 'Loyalty',
      merchantId: mine.id,
      purposeId: purpose.id,
      retentionDays: 90,
      categoryIds: [parent.id],
      subjectIds: [customer.id],
      systemIds: [database.id],
    })
    const question = {
      purpose: 'service.order_processing',
      categories: ['customer.loyalty.points'],
    }
    const allowed = await purposeRegistry.check({ ...question, merchantId: mine.id })
    assert.isTrue(allowed.allowed)
    const refused = await purposeRegistry.check({ ...question, merchantId: theirs.id })
    assert.deepInclude(refused, { allowed: false, reason: 'categories_not_covered' })
    assert.exists(await DataCategory.findBy('code', 'customer.loyalty'))
  })
})
