import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiResponse } from '@japa/api-client'
import User from '#access/models/user'
import { rolesOf } from '#access/services/authorization'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'

async function expectStatus(request: PromiseLike<ApiResponse>, status: number) {
  const response = await request
  response.assertStatus(status)
  return response
}

/** Two merchants, each with an admin, an agent and a token. */
async function twoTenants() {
  const [a, b] = [await createMerchant(), await createMerchant()]
  return {
    a,
    b,
    adminA: await merchantUser(a, 'merchant_admin'),
    agentB: await merchantUser(b, 'merchant_agent'),
    adminB: await merchantUser(b, 'merchant_admin'),
    tokenA: await bearerToken(a, { scopes: ['merchant:read'] }),
  }
}

test.group('Tenant isolation: merchant API', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test("merchant A's users and tokens get 404 for merchant B and see A", async ({
    client,
    assert,
  }) => {
    const { a, b, adminA, tokenA } = await twoTenants()

    const own = await expectStatus(client.get(`/api/v1/merchants/${a.id}`).actingAs(adminA), 200)
    assert.equal(own.body().data.slug, a.slug)
    const other = await expectStatus(client.get(`/api/v1/merchants/${b.id}`).actingAs(adminA), 404)
    other.assertBodyContains({ error: { code: 'not_found' } })

    await expectStatus(client.get(`/api/v1/merchants/${a.id}`).bearerToken(tokenA), 200)
    const viaToken = await expectStatus(
      client.get(`/api/v1/merchants/${b.id}`).bearerToken(tokenA),
      404
    )
    // Indistinguishable from an id that does not exist at all
    const missing = await expectStatus(
      client.get('/api/v1/merchants/999999999').bearerToken(tokenA),
      404
    )
    assert.deepEqual(viaToken.body(), missing.body())

    const current = await expectStatus(client.get('/api/v1/merchant').bearerToken(tokenA), 200)
    assert.equal(current.body().data.merchant.id, a.id)
  })

  test('staff with merchant:read see every merchant', async ({ client }) => {
    const { b } = await twoTenants()
    const dpo = await staffUser('dpo')
    await expectStatus(client.get(`/api/v1/merchants/${b.id}`).actingAs(dpo), 200)
  })
})

test.group('Tenant isolation: user administration', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test("a merchant admin lists only its own merchant's users", async ({ client, assert }) => {
    const { adminA, adminB, agentB } = await twoTenants()
    const page = await expectStatus(client.get('/users?perPage=100').actingAs(adminA), 200)
    assert.include(page.text(), `data-user-id="${adminA.id}"`)
    assert.notInclude(page.text(), `data-user-id="${adminB.id}"`)
    assert.notInclude(page.text(), `data-user-id="${agentB.id}"`)
    // Filtering by another merchant's id does not widen the scope
    const filtered = await expectStatus(
      client.get(`/users?merchantId=${adminB.merchantId}`).actingAs(adminA),
      200
    )
    assert.notInclude(filtered.text(), `data-user-id="${adminB.id}"`)
  })

  test("a merchant admin gets 404 for B's users and cannot change them", async ({
    client,
    assert,
  }) => {
    const { adminA, agentB, b } = await twoTenants()
    await expectStatus(client.get(`/users/${agentB.id}`).actingAs(adminA), 404)
    await expectStatus(
      client.post(`/users/${agentB.id}/disable`).actingAs(adminA).withCsrfToken(),
      404
    )
    await expectStatus(
      client
        .post(`/users/${agentB.id}/roles`)
        .actingAs(adminA)
        .withCsrfToken()
        .form({ role: 'merchant_admin' }),
      404
    )
    await agentB.refresh()
    assert.isNull(agentB.disabledAt)
    assert.deepEqual(await rolesOf(agentB.id, b.domain), ['merchant_agent'])
  })

  test('a merchant admin creates users only in its own merchant', async ({ client, assert }) => {
    const { adminA, a, b } = await twoTenants()
    const email = `new-${Date.now()}@merchant.test`
    const response = await client
      .post('/users')
      .actingAs(adminA)
      .withCsrfToken()
      .redirects(0)
      .form({
        fullName: 'New Agent',
        email,
        kind: 'staff',
        merchantId: b.id,
        role: 'merchant_agent',
      })
    response.assertStatus(302)
    const created = (await User.findByEmail(email))!
    assert.equal(created.kind, 'merchant')
    assert.equal(created.merchantId, a.id)
    assert.deepEqual(await rolesOf(created.id, a.domain), ['merchant_agent'])
  })
})
