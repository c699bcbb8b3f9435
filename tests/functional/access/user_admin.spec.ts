import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiResponse } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import User from '#access/models/user'
import Merchant from '#merchants/models/merchant'
import { rolesOf } from '#access/services/authorization'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { ConsoleSession } from '#tests/helpers/console_session'

async function expectStatus(request: PromiseLike<ApiResponse>, status: number) {
  const response = await request
  response.assertStatus(status)
  return response
}

function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.round(Math.random() * 1e6)}@staff.test`
}

test.group('User administration: access', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('only admins open the user and role pages', async ({ client }) => {
    const auditor = await staffUser('auditor')
    await expectStatus(client.get('/users').actingAs(auditor), 403)
    await expectStatus(client.get('/roles').actingAs(auditor), 403)
    await expectStatus(client.get('/users/new').actingAs(auditor), 403)
    const admin = await staffUser('admin')
    await expectStatus(client.get('/users').actingAs(admin), 200)
    await expectStatus(client.get('/roles').actingAs(admin), 200)
    await expectStatus(client.get('/users/new').actingAs(admin), 200)
  })
})

test.group('User administration: list', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('filters by role, kind, status and text, and pages', async ({ client, assert }) => {
    const admin = await staffUser('admin')
    const counsel = await staffUser('legal_counsel')
    const merchant = await createMerchant()
    const agent = await merchantUser(merchant, 'merchant_agent')

    const byRole = await expectStatus(
      client.get('/users?role=legal_counsel&perPage=100').actingAs(admin),
      200
    )
    assert.include(byRole.text(), `data-user-id="${counsel.id}"`)
    assert.notInclude(byRole.text(), `data-user-id="${admin.id}"`)

    const byMerchant = await expectStatus(
      client.get(`/users?kind=merchant&merchantId=${merchant.id}`).actingAs(admin),
      200
    )
    assert.include(byMerchant.text(), `data-user-id="${agent.id}"`)
    assert.notInclude(byMerchant.text(), `data-user-id="${counsel.id}"`)

    const byText = await expectStatus(
      client.get(`/users?q=${encodeURIComponent(counsel.email)}`).actingAs(admin),
      200
    )
    assert.include(byText.text(), `data-user-id="${counsel.id}"`)
    assert.include(byText.text(), '1 user')

    const total = await User.query().count('* as total')
    const paged = await expectStatus(client.get('/users?perPage=1&page=2').actingAs(admin), 200)
    assert.include(paged.text(), `Page 2 of ${Number(total[0].$extras.total)}`)
    assert.equal((paged.text().match(/data-user-id=/g) ?? []).length, 1)

    // Out-of-range paging is a validation error, not a silent clamp
    await expectStatus(client.get('/users?perPage=1000').actingAs(admin).redirects(0), 302)
  })
})

test.group('User administration: create, roles, disable', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('an admin creates a staff user with a role, audited', async ({ client, assert }) => {
    const admin = await staffUser('admin')
    const browser = new ConsoleSession(client)
    browser.values = { 'auth_web': admin.id, 'access.mfa_user': admin.id }
    const email = uniqueEmail('analyst')
    const response = await browser.post('/users', {
      fullName: 'Nadia Analyst',
      email,
      kind: 'staff',
      role: 'privacy_analyst',
    })
    response.assertStatus(302)
    const created = (await User.findByEmail(email))!
    response.assertHeader('location', '/users')
    assert.equal(created.kind, 'staff')
    assert.isNull(created.merchantId)
    // No password until the person accepts the invitation and sets one
    assert.isNull(created.password)
    assert.deepEqual(await rolesOf(created.id, 'platform'), ['privacy_analyst'])

    const audit = await db
      .from('audit_events')
      .whereIn('action', ['user.created', 'user.invited', 'role.assigned'])
      .where('target_id', String(created.id))
      .orderBy('id')
    assert.deepEqual(
      audit.map((row) => [row.action, row.actor_id]),
      [
        ['user.created', String(admin.id)],
        ['user.invited', String(admin.id)],
        ['role.assigned', String(admin.id)],
      ]
    )
    const page = await browser.get(`/users/${created.id}`)
    page.assertStatus(200)
    page.assertTextIncludes('privacy_analyst')

    // Viewing a user's record is a read of personal data, audited with its purpose
    const reads = await db
      .from('audit_events')
      .where('action', 'personal_data.read')
      .where('target_id', String(created.id))
    assert.lengthOf(reads, 1)
    assert.equal(reads[0].purpose, 'access_administration')
    assert.equal(reads[0].actor_id, String(admin.id))
  })

  test('invalid input goes back to the form with errors next to the fields', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    /** Posts the form, then renders it with what the redirect flashed (as a browser would). */
    async function submit(form: Record<string, string>) {
      const response = await client
        .post('/users')
        .actingAs(admin)
        .withCsrfToken()
        .redirects(0)
        .header('referer', '/users/new')
        .form(form)
      response.assertStatus(302)
      response.assertHeader('location', '/users/new')
      const page = await client
        .get('/users/new')
        .actingAs(admin)
        .withFlashMessages(response.flashMessages())
      page.assertStatus(200)
      return page.text()
    }

    const invalid = await submit({
      fullName: 'X',
      email: 'not-an-email',
      kind: 'staff',
      role: 'privacy_analyst',
    })
    assert.match(invalid, /id="email-error"/)
    assert.match(invalid, /id="fullName-error"/)
    assert.match(invalid, /id="email"[^>]*aria-invalid="true"/)
    assert.include(invalid, 'value="not-an-email"')
    // An admin never chooses a password for someone else
    assert.notInclude(invalid, 'type="password"')

    // A service rule (duplicate e-mail, wrong role for the kind) lands next to its field too
    const duplicate = await submit({
      fullName: 'Someone Else',
      email: admin.email,
      kind: 'staff',
      role: 'privacy_analyst',
    })
    assert.include(duplicate, 'A user with this e-mail already exists.')

    const wrongRole = await submit({
      fullName: 'Wrong Role',
      email: uniqueEmail('wrong'),
      kind: 'staff',
      role: 'merchant_admin',
    })
    assert.match(wrongRole, /id="role-error"/)
  })

  test('an admin assigns and revokes roles; the user gains and loses access', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    const auditor = await staffUser('auditor')
    await expectStatus(client.get('/users').actingAs(auditor), 403)

    const assign = await client
      .post(`/users/${auditor.id}/roles`)
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
      .form({ role: 'admin' })
    assign.assertStatus(302)
    assert.deepEqual(await rolesOf(auditor.id, 'platform'), ['admin', 'auditor'])
    await expectStatus(client.get('/users').actingAs(auditor), 200)

    const revoke = await client
      .post(`/users/${auditor.id}/roles/admin/revoke`)
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
    revoke.assertStatus(302)
    assert.deepEqual(await rolesOf(auditor.id, 'platform'), ['auditor'])
    await expectStatus(client.get('/users').actingAs(auditor), 403)

    const revoked = await db
      .from('audit_events')
      .where('action', 'role.revoked')
      .where('target_id', String(auditor.id))
    assert.lengthOf(revoked, 1)
  })

  test('a merchant role cannot be given to staff through the form', async ({ client, assert }) => {
    const admin = await staffUser('admin')
    const dpo = await staffUser('dpo')
    const response = await client
      .post(`/users/${dpo.id}/roles`)
      .actingAs(admin)
      .withCsrfToken()
      .accept('json')
      .form({ role: 'merchant_admin' })
    response.assertStatus(422)
    response.assertBodyContains({ error: { code: 'validation_failed' } })
    assert.deepEqual(await rolesOf(dpo.id, 'platform'), ['dpo'])
  })

  test('a disabled user is locked out; admins cannot disable themselves', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    const dpo = await staffUser('dpo')
    await expectStatus(client.get('/').actingAs(dpo), 200)

    await expectStatus(
      client.post(`/users/${dpo.id}/disable`).actingAs(admin).withCsrfToken().redirects(0),
      302
    )
    await dpo.refresh()
    assert.isNotNull(dpo.disabledAt)
    const locked = await client.get('/').actingAs(dpo).redirects(0)
    locked.assertStatus(302)
    locked.assertHeader('location', '/login')

    await expectStatus(
      client.post(`/users/${dpo.id}/enable`).actingAs(admin).withCsrfToken().redirects(0),
      302
    )
    await expectStatus(client.get('/').actingAs(dpo), 200)

    // A refusal the admin can act on comes back to the page as a message, not an error page
    const self = await client
      .post(`/users/${admin.id}/disable`)
      .actingAs(admin)
      .withCsrfToken()
      .header('referer', `/users/${admin.id}`)
      .redirects(0)
    self.assertStatus(302)
    self.assertHeader('location', `/users/${admin.id}`)
    assert.match(String(self.flashMessage('error')), /yourself|own/i)
    await admin.refresh()
    assert.isNull(admin.disabledAt)
  })
})

test.group('User administration: every domain keeps an admin', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test("a merchant's only admin can be neither revoked nor disabled", async ({
    client,
    assert,
  }) => {
    const staffAdmin = await staffUser('admin')
    const merchant = await createMerchant()
    const only = await merchantUser(merchant, 'merchant_admin')

    const revoke = await client
      .post(`/users/${only.id}/roles/merchant_admin/revoke`)
      .actingAs(staffAdmin)
      .withCsrfToken()
      .accept('json')
    revoke.assertStatus(409)
    revoke.assertBodyContains({ error: { code: 'last_admin' } })
    const disable = await client
      .post(`/users/${only.id}/disable`)
      .actingAs(staffAdmin)
      .withCsrfToken()
      .accept('json')
    disable.assertStatus(409)
    await only.refresh()
    assert.isNull(only.disabledAt)
    assert.deepEqual(await rolesOf(only.id, merchant.domain), ['merchant_admin'])

    // With a second active admin both go through
    await merchantUser(merchant, 'merchant_admin')
    await expectStatus(
      client.post(`/users/${only.id}/disable`).actingAs(staffAdmin).withCsrfToken().redirects(0),
      302
    )
    await expectStatus(
      client
        .post(`/users/${only.id}/roles/merchant_admin/revoke`)
        .actingAs(staffAdmin)
        .withCsrfToken()
        .redirects(0),
      302
    )
    assert.deepEqual(await rolesOf(only.id, merchant.domain), [])
  })
})

test.group('Roles page and dashboard', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('the roles page shows every role with its permissions and holders', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    const page = await expectStatus(client.get('/roles').actingAs(admin), 200)
    for (const role of ['admin', 'dpo', 'auditor', 'merchant_admin', 'merchant_api']) {
      assert.include(page.text(), `<code>${role}</code>`)
    }
    assert.include(page.text(), '<code>users:manage</code>')
  })

  test('the dashboard shows real counts in the principal reach', async ({ client, assert }) => {
    const admin = await staffUser('admin')
    const merchant = await createMerchant()
    await merchantUser(merchant, 'merchant_admin')
    const page = await expectStatus(client.get('/').actingAs(admin), 200)
    const active = await Merchant.query().where('status', 'active').count('* as total')
    const cardValue = (key: string, html: string) =>
      Number(new RegExp(`data-card="${key}">\\s*<div class="value">(\\d+)<`).exec(html)?.[1])
    assert.equal(cardValue('merchants', page.text()), Number(active[0].$extras.total))
    // What to act on, not a chart of users by role
    assert.notInclude(page.text(), 'id="roles-chart"')

    // A merchant user sees its own merchant's numbers only, and no platform cards
    const merchantAdmin = await merchantUser(merchant, 'merchant_admin')
    await bearerToken(merchant, { scopes: ['merchant:read'] })
    await bearerToken(await createMerchant(), { scopes: ['merchant:read'] })
    const own = await expectStatus(client.get('/').actingAs(merchantAdmin), 200)
    assert.equal(cardValue('users', own.text()), 2)
    assert.equal(cardValue('active_tokens', own.text()), 1)
    assert.notInclude(own.text(), 'data-card="merchants"')
  })
})
