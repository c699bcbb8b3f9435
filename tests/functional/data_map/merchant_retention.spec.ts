import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import MerchantRetentionOverride from '#data_map/models/merchant_retention_override'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'

test.group('data_map / merchant retention instructions (API)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('a merchant shortens retention for its own data only', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['retention:manage'] })

    const set = await client
      .put('/api/v1/retention/overrides/customer.content.message')
      .header('authorization', `Bearer ${token}`)
      .json({ durationDays: 90, reason: 'Our policy keeps chats 90 days' })
    set.assertStatus(200)
    set.assertBodyContains({ data: { category: 'customer.content.message', durationDays: 90 } })

    const list = await client.get('/api/v1/retention').header('authorization', `Bearer ${token}`)
    list.assertStatus(200)
    const message = list.body().data.find((row: any) => row.category === 'customer.content.message')
    assert.deepInclude(message, { ruleDays: 365, overrideDays: 90, effectiveDays: 90 })

    const theirs = await MerchantRetentionOverride.query().where('merchant_id', other.id)
    assert.lengthOf(theirs, 0, 'the other merchant is untouched')
    const otherAdmin = await merchantUser(other, 'merchant_admin')
    const otherList = await client.get('/api/v1/retention').actingAs(otherAdmin)
    const otherMessage = otherList
      .body()
      .data.find((row: any) => row.category === 'customer.content.message')
    assert.deepInclude(otherMessage, { overrideDays: null, effectiveDays: 365 })
  })

  test('a longer, zero or negative retention is a 422 that changes nothing', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    for (const durationDays of [365, 1000, 0, -3]) {
      const response = await client
        .put('/api/v1/retention/overrides/customer.content.message')
        .actingAs(admin)
        .withCsrfToken()
        .json({ durationDays })
      response.assertStatus(422)
      assert.equal(response.body().error.details[0].field, 'durationDays')
    }
    assert.lengthOf(await MerchantRetentionOverride.query().where('merchant_id', merchant.id), 0)

    const unknown = await client
      .put('/api/v1/retention/overrides/customer.nope')
      .actingAs(admin)
      .withCsrfToken()
      .json({ durationDays: 10 })
    unknown.assertStatus(404)
  })

  test('removing an instruction restores the rule; staff and agents cannot use this API', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    await client
      .put('/api/v1/retention/overrides/customer.content.media')
      .actingAs(admin)
      .withCsrfToken()
      .json({ durationDays: 30 })
    const removed = await client
      .delete('/api/v1/retention/overrides/customer.content.media')
      .actingAs(admin)
      .withCsrfToken()
    removed.assertStatus(204)
    assert.lengthOf(await MerchantRetentionOverride.query().where('merchant_id', merchant.id), 0)
    const again = await client
      .delete('/api/v1/retention/overrides/customer.content.media')
      .actingAs(admin)
      .withCsrfToken()
    again.assertStatus(404)

    const agent = await merchantUser(merchant, 'merchant_agent')
    const agentResponse = await client.get('/api/v1/retention').actingAs(agent)
    agentResponse.assertStatus(403)
    const dpo = await staffUser('dpo')
    const staffResponse = await client.get('/api/v1/retention').actingAs(dpo)
    staffResponse.assertStatus(403)
  })
})
