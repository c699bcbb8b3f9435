import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import type Merchant from '#merchants/models/merchant'
import type User from '#access/models/user'
import apiTokens from '#access/services/api_tokens'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'

/** The status of an API call made with `token`. */
async function statusWith(client: ApiClient, token: string, url = '/api/v1/merchant') {
  const response = await client.get(url).bearerToken(token)
  return response.status()
}

/** A token minted by `creator`, as the portal would. */
async function tokenBy(merchant: Merchant, creator: User) {
  const { plaintext } = await apiTokens.create({
    merchant,
    name: `sync ${creator.id}`,
    scopes: ['merchant:read'],
    expiresAt: DateTime.now().plus({ days: 365 }),
    createdBy: creator.id,
    actor: { type: 'user', id: creator.id },
  })
  return plaintext
}

test.group('Offboarding cuts access', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('disabling a user revokes the API tokens they created, and only theirs', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const [leaver, stays] = [
      await merchantUser(merchant, 'merchant_admin'),
      await merchantUser(merchant, 'merchant_admin'),
    ]
    const leaversToken = await tokenBy(merchant, leaver)
    const othersToken = await tokenBy(merchant, stays)
    const before = await client.get('/api/v1/merchant').bearerToken(leaversToken)
    before.assertStatus(200)

    const disabled = await client
      .post(`/users/${leaver.id}/disable`)
      .actingAs(stays)
      .withCsrfToken()
      .redirects(0)
    disabled.assertStatus(302)

    const after = await client.get('/api/v1/merchant').bearerToken(leaversToken)
    after.assertStatus(401)
    assert.equal(after.body().error.code, 'invalid_token')
    assert.equal(await statusWith(client, othersToken), 200)
    const [revoked] = await db
      .from('audit_events')
      .where('action', 'token.revoked')
      .whereRaw(`meta->>'reason' = 'user_disabled'`)
    assert.equal(revoked.actor_id, String(stays.id))
    assert.equal(revoked.merchant_id, merchant.id)
  })

  test('removing the merchant-admin role revokes the tokens that admin created', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const other = await merchantUser(merchant, 'merchant_admin')
    const token = await tokenBy(merchant, admin)
    assert.equal(await statusWith(client, token), 200)

    const revoked = await client
      .post(`/users/${admin.id}/roles/merchant_admin/revoke`)
      .actingAs(other)
      .withCsrfToken()
      .redirects(0)
    revoked.assertStatus(302)
    assert.equal(await statusWith(client, token), 401)
  })

  for (const status of ['terminating', 'terminated'] as const) {
    test(`a ${status} merchant's tokens and sessions stop working`, async ({ client, assert }) => {
      const merchant = await createMerchant()
      const admin = await merchantUser(merchant, 'merchant_admin')
      const token = await tokenBy(merchant, admin)
      assert.equal(await statusWith(client, token), 200)
      const before = await client.get('/tokens').actingAs(admin)
      before.assertStatus(200)

      merchant.status = status
      await merchant.save()
      assert.equal(await statusWith(client, token), 401)
      const console = await client.get('/tokens').actingAs(admin).redirects(0)
      console.assertStatus(302)
      console.assertHeader('location', '/login')
      // Staff still reach the merchant's records to finish the termination
      const dpo = await staffUser('dpo')
      const staffView = await client.get(`/api/v1/merchants/${merchant.id}`).actingAs(dpo)
      staffView.assertStatus(200)
    })
  }
})
