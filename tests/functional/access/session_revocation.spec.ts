import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { authenticator } from 'otplib'
import type User from '#access/models/user'
import { createMerchant, merchantUser, staffUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { RawBrowser } from '#tests/helpers/raw_browser'
import { resetRateLimits } from '#tests/helpers/rate_limits'

async function signedIn(user: User, password = TEST_PASSWORD) {
  const browser = new RawBrowser()
  const response = await browser.submit('/login', '/login', { email: user.email, password })
  if (response.headers.get('location') !== '/') throw new Error('sign-in did not complete')
  return browser
}

/** Opens the console page with these cookies: 200, or a redirect to sign in. */
async function opensConsole(browser: RawBrowser) {
  const response = await browser.get('/account/security')
  return response.status === 200
}

test.group('Sessions are kept server-side and can be ended', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('the session cookie holds only an id; the session itself is in Redis', async ({
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    const browser = await signedIn(user)
    const cookie = decodeURIComponent(browser.cookies.get('hub-session')!)
    // A signed session id, nothing more: no values travel in the cookie
    assert.isBelow(cookie.length, 200)
    assert.notInclude(cookie, 'auth_web')
    const store = redis.connection('session')
    const ids = await store.smembers(`session_tag:${user.id}`)
    const contents = await Promise.all(ids.map((id) => store.get(id)))
    assert.lengthOf(contents.filter(Boolean), 1)
    assert.isTrue(await opensConsole(browser))
  })

  test('a session cookie copied before logout does not open the console after logout', async ({
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    const browser = await signedIn(user)
    const copied = browser.copy()
    const elsewhere = await signedIn(user)
    assert.isTrue(await opensConsole(copied))
    assert.isTrue(await opensConsole(elsewhere))

    const out = await browser.submit('/account/security', '/logout')
    assert.equal(out.headers.get('location'), '/login')

    const replay = await copied.get('/account/security')
    assert.equal(replay.status, 302)
    assert.equal(replay.headers.get('location'), '/login')
    // Logging out ends every session of the user, on every device
    assert.isFalse(await opensConsole(elsewhere))
    const [ended] = await db
      .from('audit_events')
      .where('action', 'auth.sessions_ended')
      .where('target_id', String(user.id))
    assert.equal(ended.meta.reason, 'logout')
    assert.equal(ended.meta.sessions, 2)
  })

  test('changing the password ends every other session; this one carries on', async ({
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    const browser = await signedIn(user)
    const copied = browser.copy()
    const changed = await browser.submit('/account/security', '/account/security/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'A-brand-new-passphrase-77',
      newPasswordConfirmation: 'A-brand-new-passphrase-77',
    })
    assert.equal(changed.headers.get('location'), '/account/security')
    assert.isTrue(await opensConsole(browser))
    assert.isFalse(await opensConsole(copied))
  })

  test('disabling a user ends their sessions at once', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const user = await merchantUser(merchant, 'merchant_agent')
    const browser = await signedIn(user)
    const copied = browser.copy()

    const response = await client
      .post(`/users/${user.id}/disable`)
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.isFalse(await opensConsole(browser))
    assert.isFalse(await opensConsole(copied))
    // Even once re-enabled, the old cookie stays dead: the session is gone, not just refused
    await db.from('users').where('id', user.id).update({ disabled_at: null })
    assert.isFalse(await opensConsole(copied))
  })

  test('changing MFA (new recovery codes) ends every other session', async ({ assert }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent', { withMfa: true })
    const browser = new RawBrowser()
    await browser.submit('/login', '/login', { email: user.email, password: TEST_PASSWORD })
    const done = await browser.submit('/mfa', '/mfa', {
      code: authenticator.generate(user.mfaSecret!),
    })
    assert.equal(done.headers.get('location'), '/')
    const copied = browser.copy()
    assert.isTrue(await opensConsole(copied))

    const next = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(user.mfaSecret!)
    const codes = await browser.submit('/account/security', '/account/security/recovery-codes', {
      code: next,
    })
    assert.equal(codes.status, 200)
    assert.isTrue(await opensConsole(browser))
    assert.isFalse(await opensConsole(copied))
  })
})

test.group('MFA is mandatory for merchant admins', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('a merchant admin without MFA must enrol before any page opens', async ({ assert }) => {
    const admin = await merchantUser(await createMerchant(), 'merchant_admin')
    const browser = new RawBrowser()
    const password = await browser.submit('/login', '/login', {
      email: admin.email,
      password: TEST_PASSWORD,
    })
    assert.equal(password.headers.get('location'), '/mfa/enrol')
    const tokens = await browser.get('/tokens')
    assert.equal(tokens.status, 302)
    assert.equal(tokens.headers.get('location'), '/mfa/enrol')

    const enrol = await browser.get('/mfa/enrol')
    const enrolPage = await enrol.text()
    const secret = /id="mfa-secret">([A-Z2-7]+)</.exec(enrolPage)![1]
    const enrolled = await browser.submit('/mfa/enrol', '/mfa/enrol', {
      code: authenticator.generate(secret),
    })
    assert.equal(enrolled.status, 200)
    const tokensAfter = await browser.get('/tokens')
    assert.equal(tokensAfter.status, 200)
  })

  test('a user made merchant admin while signed in without MFA must sign in again and enrol', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const user = await merchantUser(merchant, 'merchant_agent')
    const browser = await signedIn(user)
    assert.isTrue(await opensConsole(browser))
    await staffUser('admin')
    const { assignRole } = await import('#access/services/authorization')
    await assignRole(user.id, 'merchant_admin', merchant.domain)
    assert.isFalse(await opensConsole(browser))
  })
})
