import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiResponse } from '@japa/api-client'
import AuditEvent from '#audit/models/audit_event'
import DataCategory from '#data_map/models/data_category'
import DataFlow from '#data_map/models/data_flow'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'

/** The audit rows a response's request wrote, found by the request id it echoed. */
async function eventsOf(response: ApiResponse) {
  const requestId = response.header('x-request-id')!
  return AuditEvent.query().where('request_id', requestId).orderBy('id')
}

test.group('audit / the actor of a signed-in request', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('data-map writes, flow removal, retention rules and overrides and RoPA exports name the signed-in person', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const category = await DataCategory.findByOrFail('code', 'customer.content.message')
    const flow = await DataFlow.firstOrFail()

    const post = (url: string, form: Record<string, unknown> = {}) =>
      client.post(url).actingAs(dpo).withCsrfToken().form(form).redirects(0)
    const staffRequests = [
      await post('/data-map/categories', {
        code: 'customer.contact.signal',
        name: 'Signal handle',
        sensitivity: 'medium',
      }),
      await post(`/data-map/flows/${flow.id}/delete`),
      await post(`/data-map/retention/rules/${category.id}`, {
        durationDays: 400,
        startsFrom: 'created_at',
        basis: 'Contract plus limitation period',
      }),
      await post('/data-map/retention/overrides', {
        merchantId: merchant.id,
        dataCategoryId: category.id,
        durationDays: 30,
      }),
    ]
    // The signed RoPA is generated (and audited) by a POST; the JSON and CSV reads leave no trace
    const ropaPdf = (user: typeof dpo) =>
      client.post('/api/v1/ropa.pdf').actingAs(user).withCsrfToken()
    staffRequests.push(await ropaPdf(dpo))

    const merchantRequests = [await ropaPdf(admin)]

    const expected = [
      'data_map.category_created',
      'data_map.flow_removed',
      'data_map.retention_rule_set',
      'data_map.retention_override_set',
      'report.generated',
    ]
    for (const [index, response] of staffRequests.entries()) {
      assert.oneOf(response.status(), [200, 302], `request ${index} went through`)
      const events = await eventsOf(response)
      assert.include(
        events.map((e) => e.action),
        expected[index]
      )
      for (const event of events) {
        assert.deepEqual([event.actorType, event.actorId], ['user', String(dpo.id)], event.action)
      }
    }
    for (const response of merchantRequests) {
      response.assertStatus(200)
      const events = await eventsOf(response)
      assert.includeDeepMembers(
        events.map((e) => [e.action, e.actorType, e.actorId]),
        [['report.generated', 'user', String(admin.id)]]
      )
      for (const event of events) {
        assert.deepEqual([event.actorType, event.actorId], ['user', String(admin.id)], event.action)
      }
    }
  })

  test('a merchant API token is named as the actor of its retention instruction', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['retention:manage'] })
    const response = await client
      .put('/api/v1/retention/overrides/customer.content.message')
      .header('authorization', `Bearer ${token}`)
      .json({ durationDays: 60 })
    response.assertStatus(200)
    const [event] = await eventsOf(response)
    assert.equal(event.action, 'data_map.retention_override_set')
    assert.equal(event.actorType, 'token')
    assert.isNotNull(event.actorId)
  })

  test('no event recorded during a signed-in request is anonymous', async ({ client, assert }) => {
    const before = await AuditEvent.query().max('id as max').firstOrFail()
    const dpo = await staffUser('dpo')
    await client
      .post('/data-map/subjects')
      .actingAs(dpo)
      .withCsrfToken()
      .form({ code: 'visitors', name: 'Website visitors' })
      .redirects(0)
    await client.post('/api/v1/ropa.pdf').actingAs(dpo).withCsrfToken()
    const anonymous = await AuditEvent.query()
      .where('id', '>', Number(before.$extras.max ?? 0))
      .whereNotNull('request_id')
      .where('actor_type', 'anonymous')
    assert.lengthOf(anonymous, 0)
  })
})
