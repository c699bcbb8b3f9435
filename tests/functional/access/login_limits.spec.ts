import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { parseTrustedProxies, trustedProxyMatcher } from '#access/trusted_proxies'
import { createMerchant, merchantUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { RawBrowser } from '#tests/helpers/raw_browser'
import { resetRateLimits } from '#tests/helpers/rate_limits'
import { startServerProcess } from '#tests/helpers/server_process'

/** One sign-in attempt from a fresh browser that claims to come from `forwardedFor`. */
async function attempt(base: RawBrowser, email: string, password: string, forwardedFor: string) {
  const browser = new RawBrowser(base.baseUrl, { 'x-forwarded-for': forwardedFor })
  return browser.submit('/login', '/login', { email, password })
}

test.group('Login limits: client addresses', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('a client that fakes X-Forwarded-For on every attempt is still locked out', async ({
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    const base = new RawBrowser()
    for (let n = 1; n <= 5; n++) {
      await attempt(base, user.email, `wrong-${n}`, `203.0.113.${n}`)
    }
    const right = await attempt(base, user.email, TEST_PASSWORD, '203.0.113.99')
    assert.equal(right.status, 429)
    const [lockout] = await db
      .from('audit_events')
      .where('action', 'auth.locked_out')
      .where('actor_id', String(user.id))
    assert.equal(lockout.meta.scope, 'account_address')
  })

  test('TRUSTED_PROXIES accepts addresses, ranges and loopback, and refuses anything else', ({
    assert,
  }) => {
    const trusts = trustedProxyMatcher(parseTrustedProxies('10.0.0.0/8, 192.0.2.7, loopback'))
    assert.isTrue(trusts('10.20.30.40'))
    assert.isTrue(trusts('192.0.2.7'))
    assert.isTrue(trusts('::ffff:127.0.0.1'))
    assert.isTrue(trusts('::1'))
    assert.isFalse(trusts('192.0.2.8'))
    assert.isFalse(trustedProxyMatcher(parseTrustedProxies(''))('127.0.0.1'))
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/2', '*']) {
      assert.throws(() => parseTrustedProxies(bad), /TRUSTED_PROXIES/)
    }
  })
})

test.group('Account security: re-authentication is limited', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('wrong current passwords and codes lock the checks, even for the right answer', async ({
    client,
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent', { withMfa: true })
    const post = (url: string, form: Record<string, string>) =>
      client.post(url).actingAs(user).withCsrfToken().redirects(0).form(form)
    const newPassword = 'Another-long-passphrase-5'
    const change = (current: string) =>
      post('/account/security/password', {
        currentPassword: current,
        newPassword,
        newPasswordConfirmation: newPassword,
      })

    for (let n = 1; n <= 3; n++) {
      const wrong = await change(`wrong-${n}`)
      assert.equal(wrong.flashMessage('errors').currentPassword, 'The current password is wrong.')
    }
    // Wrong codes count against the same user
    await post('/account/security/recovery-codes', { code: '000000' })
    const fifth = await post('/account/security/mfa/disable', { code: '111111' })
    assert.include(fifth.flashMessage('errors').disableCode, 'Too many failed attempts')

    const right = await change(TEST_PASSWORD)
    assert.include(right.flashMessage('errors').currentPassword, 'Too many failed attempts')
    assert.isAbove(Number(right.header('retry-after')), 800)
    await user.refresh()
    const { default: hash } = await import('@adonisjs/core/services/hash')
    assert.isTrue(await hash.verify(user.password!, TEST_PASSWORD))
    const [lockout] = await db
      .from('audit_events')
      .where('action', 'auth.locked_out')
      .where('actor_id', String(user.id))
    assert.equal(lockout.meta.scope, 'reauthentication')
  })
})

test.group('Login limits: one account from many addresses', (group) => {
  group.each.setup(() => resetRateLimits())

  test('an account is locked after ten failures spread over many addresses', async ({
    assert,
    cleanup,
  }) => {
    // Committed, since the server below is another process
    const merchant = await createMerchant()
    cleanup(() => merchant.delete())
    const user = await merchantUser(merchant, 'merchant_agent')
    // Behind a trusted proxy each attempt really comes from a different client address
    const server = await startServerProcess({
      TRUSTED_PROXIES: 'loopback',
    })
    cleanup(() => server.stop())
    const base = new RawBrowser(server.url)

    for (let n = 1; n <= 10; n++) {
      const response = await attempt(base, user.email, `wrong-${n}`, `198.51.100.${n}`)
      assert.equal(response.status, n < 10 ? 302 : 429, `attempt ${n}`)
    }
    const fromElsewhere = await attempt(base, user.email, TEST_PASSWORD, '198.51.100.200')
    assert.equal(fromElsewhere.status, 429)
    assert.isAbove(Number(fromElsewhere.headers.get('retry-after')), 800)

    // Another account from one of those addresses is not affected
    const other = await merchantUser(merchant, 'merchant_agent')
    const fine = await attempt(base, other.email, TEST_PASSWORD, '198.51.100.3')
    assert.equal(fine.headers.get('location'), '/')
    const scopes = await db
      .from('audit_events')
      .where('action', 'auth.locked_out')
      .where('actor_id', String(user.id))
      .select('meta')
    assert.deepEqual(
      scopes.map((row) => row.meta.scope),
      ['account']
    )
    // Booting a second server takes long on a busy machine
  }).timeout(180_000)
})
