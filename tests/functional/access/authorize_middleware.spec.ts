import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiClient, ApiResponse } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import User from '#access/models/user'
import { assignRole } from '#access/services/authorization'
import { PENDING_KEY } from '#access/services/principal_resolver'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'

async function expectStatus(request: PromiseLike<ApiResponse>, status: number) {
  const response = await request
  response.assertStatus(status)
}

async function deniedEvents(actorId: number | string) {
  return db
    .from('audit_events')
    .where('action', 'access.denied')
    .where('actor_id', String(actorId))
    .orderBy('id')
}

/** A signed-in staff member (MFA set up) who holds no role at all. */
async function rolelessStaff() {
  const user = await staffUser('auditor')
  await db
    .from('casbin_rules')
    .where({ ptype: 'g', v0: `user:${user.id}` })
    .delete()
  const { default: authorization } = await import('#access/services/authorization')
  await authorization.policy.refresh(['platform'])
  return user
}

test.group('Authorize middleware: who is calling', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('an API route without credentials answers 401 in the JSON error shape', async ({
    client,
  }) => {
    const response = await client.get('/api/v1/merchant')
    response.assertStatus(401)
    response.assertBodyContains({ error: { code: 'unauthenticated', details: [] } })
  })

  test('a console page without a session redirects to the login page', async ({ client }) => {
    const response = await client.get('/').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
  })

  test('a half-finished sign-in is sent to the MFA step', async ({ client }) => {
    const user = await staffUser('admin')
    const response = await client
      .get('/users')
      .withSession({ [PENDING_KEY]: { userId: user.id, stage: 'challenge', at: Date.now() } })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/mfa')
  })

  test('a wrong bearer token gets 401, never the session behind it', async ({ client }) => {
    const admin = await staffUser('admin')
    const response = await client
      .get('/api/v1/merchant')
      .actingAs(admin)
      .header('authorization', 'Bearer cvh_nope_nope')
    response.assertStatus(401)
    response.assertBodyContains({ error: { code: 'invalid_token' } })
  })

  test('a disabled user is treated as signed out', async ({ client }) => {
    const admin = await staffUser('admin')
    await User.query().where('id', admin.id).update({ disabled_at: new Date() })
    const response = await client.get('/').actingAs(admin).redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
  })
})

test.group('Authorize middleware: deny by default', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('a user without roles is refused everything, and each refusal is audited', async ({
    client,
    assert,
  }) => {
    const user = await rolelessStaff()

    const page = await client.get('/').actingAs(user)
    page.assertStatus(403)
    assert.include(page.text(), 'Not allowed')

    const api = await client.get('/api/v1/merchant').actingAs(user)
    api.assertStatus(403)
    api.assertBody({
      error: { code: 'forbidden', message: 'You do not have permission to do this.', details: [] },
    })

    const denied = await deniedEvents(user.id)
    assert.lengthOf(denied, 2)
    assert.equal(denied[0].outcome, 'denied')
    assert.deepInclude(denied[0].meta, { permission: 'dashboard:view', route: 'dashboard' })
    assert.deepInclude(denied[1].meta, {
      permission: 'merchant:read',
      route: 'api.merchant.current',
    })
  })

  test('a role assignment takes effect on the next request', async ({ client }) => {
    const user = await rolelessStaff()
    await expectStatus(client.get('/').actingAs(user), 403)
    await assignRole(user.id, 'dpo', 'platform')
    const page = await client.get('/').actingAs(user)
    page.assertStatus(200)
    page.assertTextIncludes('Dashboard')
  })

  test('a staff role grants nothing in a merchant and a merchant role nothing on the platform', async ({
    client,
  }) => {
    const merchant = await createMerchant()
    const agent = await merchantUser(merchant, 'merchant_agent')
    await expectStatus(client.get('/users').actingAs(agent), 403)
    await expectStatus(client.get('/api/v1/merchant').actingAs(agent), 200)

    const auditor = await staffUser('auditor')
    await expectStatus(client.get('/users').actingAs(auditor), 403)
  })
})

test.group('Authorize middleware: navigation by role', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('the layout shows the principal and only the pages the role may open', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    const adminPage = await client.get('/').actingAs(admin)
    adminPage.assertStatus(200)
    assert.include(adminPage.text(), admin.fullName)
    assert.include(adminPage.text(), 'href="/users"')
    assert.include(adminPage.text(), 'href="/roles"')
    assert.match(adminPage.text(), /href="\/" aria-current=page/)

    const auditor = await staffUser('auditor')
    const auditorPage = await client.get('/').actingAs(auditor)
    auditorPage.assertStatus(200)
    assert.notInclude(auditorPage.text(), 'href="/users"')
    assert.notInclude(auditorPage.text(), 'href="/roles"')
  })

  test('pages are grouped in sections: a menu for several, a plain link for one, none empty', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const nav = await navigationSeenBy(client, dpo, '/reports/verify')
    const evidence = menuOf(nav, 'Evidence')
    // The section holding the page being viewed is marked, and the page within it
    assert.match(evidence, /<summary aria-current=true>/)
    assert.match(evidence, /href="\/reports\/verify" aria-current=page/)
    assert.include(evidence, 'href="/reports"')
    assert.include(evidence, 'href="/audit"')
    assert.notMatch(menuOf(nav, 'Cases'), /aria-current/)
    assert.match(nav, /<li><a href="\/" >Dashboard<\/a><\/li>/)

    // The analyst's evidence and settings hold one page each: plain links, no menus
    const analyst = await staffUser('privacy_analyst')
    const analystNav = await navigationSeenBy(client, analyst)
    assert.match(analystNav, /<li><a href="\/reports\/verify" >Verify a report<\/a><\/li>/)
    assert.notInclude(analystNav, '>Evidence</summary>')
    assert.notInclude(analystNav, '>Settings</summary>')
    assert.notInclude(analystNav, '>Conversations')
    assert.include(menuOf(analystNav, 'Cases'), 'href="/dsr/cases"')

    // Merchant pages have their own sections, and an agent sees none of the admin's
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const adminNav = await navigationSeenBy(client, admin)
    assert.include(menuOf(adminNav, 'Conversations'), 'href="/portal/conversations"')
    assert.include(menuOf(adminNav, 'Settings'), 'href="/tokens"')
    const agent = await merchantUser(merchant, 'merchant_agent')
    const agentNav = await navigationSeenBy(client, agent)
    assert.notInclude(agentNav, 'href="/tokens"')
    assert.notInclude(agentNav, '>Settings</summary>')
  })
})

/** The main navigation's markup on `path` as `user` sees it. */
async function navigationSeenBy(client: ApiClient, user: User, path = '/') {
  const page = await client.get(path).actingAs(user)
  page.assertStatus(200)
  return /<nav aria-label="Main" class="mainnav">[\s\S]*?<\/nav>/.exec(page.text())![0]
}

/** The list under the section labelled `label`; fails the test if there is no such menu. */
function menuOf(nav: string, label: string) {
  const menu = new RegExp(`<summary[^>]*>${label}</summary>[\\s\\S]*?</details>`).exec(nav)
  if (!menu) throw new Error(`no "${label}" menu in ${nav}`)
  return menu[0]
}

test.group('Authorize middleware: API tokens', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('a token works within its scopes, in its merchant, and never as staff', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const scoped = await bearerToken(merchant, { scopes: ['merchant:read'] })
    const unscoped = await bearerToken(merchant, { scopes: ['notices:read'] })

    const own = await client.get('/api/v1/merchant').bearerToken(scoped)
    own.assertStatus(200)
    assert.equal(own.body().data.merchant.id, merchant.id)
    assert.equal(own.body().data.principal.kind, 'token')

    const outOfScope = await client.get('/api/v1/merchant').bearerToken(unscoped)
    outOfScope.assertStatus(403)
    outOfScope.assertBodyContains({ error: { code: 'forbidden' } })

    // Console and staff routes refuse a token even if it names their permission
    const staffOnly = await client.get('/users').bearerToken(scoped).accept('json')
    staffOnly.assertStatus(403)
    const audit = await client.post('/api/v1/audit/verify').bearerToken(scoped)
    audit.assertStatus(403)
  })
})
