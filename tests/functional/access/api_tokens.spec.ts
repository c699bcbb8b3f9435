import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import type { Assert } from '@japa/assert'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import ApiToken from '#access/models/api_token'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'

function assertInvalidToken(response: ApiResponse, assert: Assert) {
  response.assertStatus(401)
  assert.deepEqual(response.body(), {
    error: {
      code: 'invalid_token',
      message: 'The access token is missing, wrong, expired or revoked.',
      details: [],
    },
  })
}

test.group('API tokens: portal', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a merchant admin creates a token that is shown once and stored only as a hash', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')

    const created = await client
      .post('/tokens')
      .actingAs(admin)
      .withCsrfToken()
      .form({ 'name': 'Order sync', 'scopes[]': 'merchant:read', 'expiresInDays': 30 })
    created.assertStatus(201)
    created.assertHeader('cache-control', 'no-store')
    const plaintext = /id="new-token"[^>]*value="(cvh_[A-Za-z0-9_-]+)"/.exec(created.text())![1]

    const row = await ApiToken.findByOrFail('merchantId', merchant.id)
    assert.equal(row.name, 'Order sync')
    assert.deepEqual(row.scopes, ['merchant:read'])
    assert.equal(row.createdBy, admin.id)
    const secretHalf = plaintext.slice(-43)
    assert.notEqual(secretHalf, row.secretHash)
    assert.equal(Math.round(row.expiresAt!.diff(DateTime.now(), 'days').days), 30)
    const stored = JSON.stringify(await db.from('api_tokens').where('id', row.id).first())
    assert.notInclude(stored, secretHalf)

    const [audit] = await db.from('audit_events').where('action', 'token.created')
    assert.equal(audit.actor_id, String(admin.id))
    assert.equal(audit.target_id, String(row.id))

    // The list never shows the secret again
    const list = await client.get('/tokens').actingAs(admin)
    list.assertStatus(200)
    assert.include(list.text(), 'Order sync')
    assert.notInclude(list.text(), plaintext)

    // And the token works as a bearer credential for its merchant only
    const me = await client.get('/api/v1/merchant').bearerToken(plaintext)
    me.assertStatus(200)
    assert.equal(me.body().data.merchant.id, merchant.id)
    assert.equal(me.body().data.principal.kind, 'token')
    await row.refresh()
    assert.isNotNull(row.lastUsedAt)
  })

  test('unknown scopes and a missing name are refused next to their fields', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')

    const unknownScope = await client
      .post('/tokens')
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
      .form({ 'name': 'Too powerful', 'scopes[]': 'users:manage', 'expiresInDays': 30 })
    unknownScope.assertStatus(302)
    assert.deepEqual(unknownScope.flashMessage('errors'), {
      scopes: ['Unknown or not grantable scopes: users:manage'],
    })

    const noName = await client
      .post('/tokens')
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
      .form({ 'name': '', 'scopes[]': 'merchant:read', 'expiresInDays': 0 })
    noName.assertStatus(302)
    noName.assertHasValidationError('name')
    noName.assertHasValidationError('expiresInDays')
    assert.equal(
      await ApiToken.query()
        .where('merchantId', merchant.id)
        .count('* as n')
        .first()
        .then((r) => Number(r!.$extras.n)),
      0
    )
  })

  test('revoking a token stops it working and is audited', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const plaintext = await bearerToken(merchant, { scopes: ['merchant:read'] })
    const token = await ApiToken.findByOrFail('merchantId', merchant.id)

    const before = await client.get('/api/v1/merchant').bearerToken(plaintext)
    before.assertStatus(200)

    const revoked = await client
      .post(`/tokens/${token.id}/revoke`)
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
    revoked.assertStatus(302)
    revoked.assertFlashMessage('success', `Token “${token.name}” is revoked.`)
    await token.refresh()
    assert.isNotNull(token.revokedAt)
    assert.equal(token.revokedBy, admin.id)

    assertInvalidToken(await client.get('/api/v1/merchant').bearerToken(plaintext), assert)

    await bearerToken(merchant, { scopes: ['merchant:read'], name: 'Still active' })
    const revokedOnly = await client.get('/tokens?status=revoked').actingAs(admin)
    assert.include(revokedOnly.text(), `data-token-id="${token.id}"`)
    assert.notInclude(revokedOnly.text(), 'Still active')
    const activeOnly = await client.get('/tokens?status=active').actingAs(admin)
    assert.notInclude(activeOnly.text(), `data-token-id="${token.id}"`)
    assert.include(activeOnly.text(), 'Still active')

    const [audit] = await db.from('audit_events').where('action', 'token.revoked')
    assert.equal(audit.target_id, String(token.id))
  })

  test("a merchant admin cannot revoke another merchant's token", async ({ client, assert }) => {
    const merchantA = await createMerchant()
    const merchantB = await createMerchant()
    const adminA = await merchantUser(merchantA, 'merchant_admin')
    await bearerToken(merchantB, { scopes: ['merchant:read'] })
    const tokenB = await ApiToken.findByOrFail('merchantId', merchantB.id)

    const response = await client
      .post(`/tokens/${tokenB.id}/revoke`)
      .actingAs(adminA)
      .withCsrfToken()
    response.assertStatus(404)
    await tokenB.refresh()
    assert.isNull(tokenB.revokedAt)

    const list = await client.get('/tokens').actingAs(adminA)
    assert.notInclude(list.text(), tokenB.name)
  })

  test('agents and staff cannot open the token page', async ({ client }) => {
    const merchant = await createMerchant()
    const agent = await merchantUser(merchant, 'merchant_agent')
    const staff = await staffUser('admin')
    const asAgent = await client.get('/tokens').actingAs(agent)
    asAgent.assertStatus(403)
    const asStaff = await client.get('/tokens').actingAs(staff)
    asStaff.assertStatus(403)
  })
})

test.group('API tokens: bearer authentication', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a wrong, malformed, expired or revoked token gets 401 with the JSON error shape', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const good = await bearerToken(merchant, { scopes: ['merchant:read'] })
    const expired = await bearerToken(merchant, {
      scopes: ['merchant:read'],
      expiresAt: DateTime.now().minus({ minutes: 1 }),
    })
    const revoked = await bearerToken(merchant, { scopes: ['merchant:read'] })
    // Both halves are base64url, which may itself contain `_`: split by position, not by `_`
    const parts = (token: string) => /^cvh_(.{12})_(.{43})$/.exec(token)!
    await ApiToken.query().where('publicId', parts(revoked)[1]).update({ revoked_at: new Date() })

    const [, publicId, secret] = parts(good)
    const tampered = `cvh_${publicId}_${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`
    for (const bad of [tampered, 'not-a-token', expired, revoked, `${good}x`]) {
      assertInvalidToken(await client.get('/api/v1/merchant').bearerToken(bad), assert)
    }
    const empty = await client.get('/api/v1/merchant').header('authorization', 'Bearer ')
    assertInvalidToken(empty, assert)

    const ok = await client.get('/api/v1/merchant').bearerToken(good)
    ok.assertStatus(200)
  })

  test('a token only does what its scopes and role allow', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['merchant:read'] })
    const outsideRole = await client.post('/api/v1/audit/verify').bearerToken(token)
    outsideRole.assertStatus(403)

    const narrow = await bearerToken(merchant, { scopes: ['reports:verify'] })
    const outsideScopes = await client.get('/api/v1/merchant').bearerToken(narrow)
    outsideScopes.assertStatus(403)
    assert.equal(outsideScopes.body().error.code, 'forbidden')
  })
})
