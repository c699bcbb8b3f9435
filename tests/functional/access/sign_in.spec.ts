import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { authenticator } from 'otplib'
import User from '#access/models/user'
import mfa from '#access/services/mfa'
import { createMerchant, merchantUser, staffUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { ConsoleSession } from '#tests/helpers/console_session'
import { resetRateLimits } from '#tests/helpers/rate_limits'

async function auditRows(action: string, actorId?: number) {
  const query = db.from('audit_events').where('action', action).orderBy('id', 'asc')
  if (actorId !== undefined) query.where('actor_id', String(actorId))
  return query
}

test.group('Sign-in: password step', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('a merchant user without MFA signs in with e-mail and password', async ({
    client,
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    const browser = new ConsoleSession(client)
    const response = await browser.post('/login', {
      email: `  ${user.email.toUpperCase()} `,
      password: TEST_PASSWORD,
    })
    response.assertStatus(302)
    response.assertHeader('location', '/')
    assert.equal(browser.values.auth_web, user.id)
    const security = await browser.get('/account/security')
    security.assertStatus(200)
    assert.include(security.text(), 'Set up two-factor authentication')

    const [login] = await auditRows('auth.login', user.id)
    assert.exists(login)
    await user.refresh()
    assert.isNotNull(user.lastLoginAt)
  })

  test('a wrong password and an unknown e-mail get the same answer and are audited without the e-mail', async ({
    client,
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    const wrong = await new ConsoleSession(client).post('/login', {
      email: user.email,
      password: 'not-the-password',
    })
    const unknown = await new ConsoleSession(client).post('/login', {
      email: 'nobody-here@example.test',
      password: 'whatever-password',
    })
    for (const response of [wrong, unknown]) {
      response.assertStatus(302)
      response.assertHeader('location', '/login')
      response.assertFlashMessage('loginError', 'The e-mail or password is wrong.')
      assert.notProperty(response.session(), 'auth_web')
    }
    const failures = await db
      .from('audit_events')
      .where('action', 'auth.login_failed')
      .orderBy('id', 'desc')
      .limit(2)
    assert.lengthOf(failures, 2)
    assert.equal(failures[1].actor_id, String(user.id))
    assert.equal(failures[0].actor_type, 'anonymous')
    for (const row of failures) {
      const meta = JSON.stringify(row.meta)
      assert.notInclude(meta, user.email)
      assert.notInclude(meta, 'nobody-here')
    }
  })

  test('five failures lock the account and tell the user how long to wait', async ({
    client,
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_admin')
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await new ConsoleSession(client).post('/login', {
        email: user.email,
        password: `wrong-${attempt}`,
      })
      response.assertStatus(302)
    }
    const fifth = await new ConsoleSession(client).post('/login', {
      email: user.email,
      password: 'wrong-5',
    })
    fifth.assertStatus(429)
    assert.include(fifth.text(), 'Try again in 15 minutes')

    // Even the right password is refused while locked, with Retry-After in seconds
    const locked = await new ConsoleSession(client).post('/login', {
      email: user.email,
      password: TEST_PASSWORD,
    })
    locked.assertStatus(429)
    const retryAfter = Number(locked.header('retry-after'))
    assert.isAbove(retryAfter, 800)
    assert.isAtMost(retryAfter, 900)
    assert.notProperty(locked.session(), 'auth_web')

    const json = await client
      .post('/login')
      .withCsrfToken()
      .accept('json')
      .json({ email: user.email, password: TEST_PASSWORD })
    json.assertStatus(429)
    assert.equal(json.body().error.code, 'login_locked_out')
    assert.equal(json.body().error.details[0].retryAfterMinutes, 15)

    const [lockout] = await auditRows('auth.locked_out', user.id)
    assert.exists(lockout)
    assert.notInclude(JSON.stringify(lockout.meta), user.email)
  })

  test('the session id changes when the password is accepted', async ({ client, assert }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_admin')

    const failed = client
      .post('/login')
      .withCsrfToken()
      .redirects(0)
      .form({ email: user.email, password: 'nope' })
    const failedResponse = await failed
    assert.equal(failedResponse.cookie('hub-session')?.value, failed.sessionClient.sessionId)

    const request = client
      .post('/login')
      .withCsrfToken()
      .redirects(0)
      .form({ email: user.email, password: TEST_PASSWORD })
    const response = await request
    response.assertStatus(302)
    const rotated = response.cookie('hub-session')?.value
    assert.isString(rotated)
    assert.notEqual(rotated, request.sessionClient.sessionId)
  })

  test('a disabled account cannot sign in', async ({ client }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_admin')
    await User.query().where('id', user.id).update({ disabled_at: new Date() })
    const response = await new ConsoleSession(client).post('/login', {
      email: user.email,
      password: TEST_PASSWORD,
    })
    response.assertHeader('location', '/login')
    response.assertFlashMessage('loginError', 'The e-mail or password is wrong.')
  })

  test('signing out ends the session and is audited', async ({ client, assert }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    const browser = new ConsoleSession(client)
    await browser.post('/login', { email: user.email, password: TEST_PASSWORD })
    const out = await browser.post('/logout')
    out.assertHeader('location', '/login')
    assert.notProperty(browser.values, 'auth_web')
    const after = await browser.get('/account/security')
    after.assertStatus(302)
    after.assertHeader('location', '/login')
    assert.lengthOf(await auditRows('auth.logout', user.id), 1)
  })
})

test.group('Sign-in: MFA', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('staff must pass the TOTP challenge before any page opens', async ({ client, assert }) => {
    const user = await staffUser('dpo')
    const browser = new ConsoleSession(client)
    const password = await browser.post('/login', { email: user.email, password: TEST_PASSWORD })
    password.assertHeader('location', '/mfa')
    assert.notProperty(browser.values, 'auth_web')

    const blocked = await browser.get('/account/security')
    blocked.assertStatus(302)
    blocked.assertHeader('location', '/mfa')

    const challenge = await browser.get('/mfa')
    challenge.assertStatus(200)
    assert.include(challenge.text(), '<label for="code">Code</label>')

    const wrong = await browser.post('/mfa', { code: '000000' })
    wrong.assertHeader('location', '/mfa')
    assert.deepEqual(wrong.flashMessage('errors'), {
      code: 'That code is not valid, or was already used.',
    })

    const code = authenticator.generate(user.mfaSecret!)
    const right = await browser.post('/mfa', { code })
    right.assertHeader('location', '/')
    assert.equal(browser.values.auth_web, user.id)
    const opened = await browser.get('/account/security')
    opened.assertStatus(200)
    const [login] = await auditRows('auth.login', user.id)
    assert.equal(login.meta.method, 'totp')

    // The same code cannot be replayed by someone who saw it typed
    const other = new ConsoleSession(client)
    await other.post('/login', { email: user.email, password: TEST_PASSWORD })
    const replay = await other.post('/mfa', { code })
    replay.assertHeader('location', '/mfa')
    assert.notProperty(other.values, 'auth_web')
  })

  test('a staff member without MFA must enrol with a QR code and gets recovery codes once', async ({
    client,
    assert,
  }) => {
    const user = await staffUser('legal_counsel')
    await User.query().where('id', user.id).update({ mfa_secret: null, mfa_enabled_at: null })
    const browser = new ConsoleSession(client)

    const password = await browser.post('/login', { email: user.email, password: TEST_PASSWORD })
    password.assertHeader('location', '/mfa/enrol')
    const gated = await browser.get('/account/security')
    gated.assertHeader('location', '/mfa/enrol')

    const page = await browser.get('/mfa/enrol')
    page.assertStatus(200)
    assert.match(page.text(), /<img class="mfa-qr" src="data:image\/png;base64,[A-Za-z0-9+/=]+"/)
    const secret = /id="mfa-secret">([A-Z2-7]+)</.exec(page.text())![1]

    const bad = await browser.post('/mfa/enrol', { code: '123456' })
    bad.assertHeader('location', '/mfa/enrol')
    assert.property(bad.flashMessage('errors'), 'code')

    const done = await browser.post('/mfa/enrol', { code: authenticator.generate(secret) })
    done.assertStatus(200)
    done.assertHeader('cache-control', 'no-store')
    const codes = [...done.text().matchAll(/<li>([a-z0-9]{5}-[a-z0-9]{5})<\/li>/g)].map((m) => m[1])
    assert.lengthOf(codes, 10)
    assert.equal(browser.values.auth_web, user.id)

    const row = await db.from('users').where('id', user.id).first()
    assert.isNotNull(row.mfa_enabled_at)
    assert.notInclude(row.mfa_secret, secret)
    await user.refresh()
    assert.equal(user.mfaSecret, secret)

    const stored = await db.from('mfa_recovery_codes').where('user_id', user.id)
    assert.lengthOf(stored, 10)
    for (const storedCode of stored) {
      assert.notInclude(codes, storedCode.code_hash)
      assert.match(storedCode.code_hash, /^\$scrypt\$/)
    }
    assert.lengthOf(await auditRows('mfa.enrolled', user.id), 1)
  })

  test('a recovery code signs in exactly once', async ({ client, assert }) => {
    const user = await staffUser('auditor')
    const codes = await mfa.regenerateRecoveryCodes(user)

    const first = new ConsoleSession(client)
    await first.post('/login', { email: user.email, password: TEST_PASSWORD })
    const used = await first.post('/mfa', { code: codes[3].toUpperCase() })
    used.assertHeader('location', '/')
    assert.equal(first.values.auth_web, user.id)
    const [audit] = await auditRows('mfa.recovery_used', user.id)
    assert.equal(audit.meta.remaining, 9)

    const second = new ConsoleSession(client)
    await second.post('/login', { email: user.email, password: TEST_PASSWORD })
    const again = await second.post('/mfa', { code: codes[3] })
    again.assertHeader('location', '/mfa')
    assert.notProperty(second.values, 'auth_web')
    assert.equal(await mfa.remainingRecoveryCodes(user), 9)
  })

  test('guessing codes ends the sign-in after five wrong answers', async ({ client, assert }) => {
    const user = await staffUser('privacy_analyst')
    const browser = new ConsoleSession(client)
    await browser.post('/login', { email: user.email, password: TEST_PASSWORD })
    for (let attempt = 0; attempt < 4; attempt++) {
      const wrong = await browser.post('/mfa', { code: '000000' })
      wrong.assertHeader('location', '/mfa')
    }
    const locked = await browser.post('/mfa', { code: '000000' })
    locked.assertStatus(429)
    assert.include(locked.text(), 'Try again in 15 minutes')
    const afterwards = await browser.post('/mfa', { code: authenticator.generate(user.mfaSecret!) })
    afterwards.assertHeader('location', '/login')
    assert.notProperty(browser.values, 'auth_web')
  })

  test('a signed-in merchant user can enrol voluntarily and is challenged from then on', async ({
    client,
    assert,
  }) => {
    const agent = await merchantUser(await createMerchant(), 'merchant_agent')
    const browser = new ConsoleSession(client)
    const signedIn = await browser.post('/login', { email: agent.email, password: TEST_PASSWORD })
    signedIn.assertHeader('location', '/')

    const page = await browser.get('/mfa/enrol')
    page.assertStatus(200)
    assert.notInclude(page.text(), 'required for your account')
    const secret = /id="mfa-secret">([A-Z2-7]+)</.exec(page.text())![1]
    const done = await browser.post('/mfa/enrol', { code: authenticator.generate(secret) })
    done.assertStatus(200)
    assert.equal(browser.values.auth_web, agent.id)

    const next = new ConsoleSession(client)
    const password = await next.post('/login', { email: agent.email, password: TEST_PASSWORD })
    password.assertHeader('location', '/mfa')
  })

  test('new recovery codes need a current code and replace the old ones', async ({
    client,
    assert,
  }) => {
    const user = await staffUser('dpo')
    const old = await mfa.regenerateRecoveryCodes(user)

    const refused = await client
      .post('/account/security/recovery-codes')
      .actingAs(user)
      .withCsrfToken()
      .redirects(0)
      .form({ code: '000000' })
    refused.assertHeader('location', '/account/security')
    assert.property(refused.flashMessage('errors'), 'regenerateCode')

    const response = await client
      .post('/account/security/recovery-codes')
      .actingAs(user)
      .withCsrfToken()
      .form({ code: authenticator.generate(user.mfaSecret!) })
    response.assertStatus(200)
    const fresh = [...response.text().matchAll(/<li>([a-z0-9]{5}-[a-z0-9]{5})<\/li>/g)].map(
      (m) => m[1]
    )
    assert.lengthOf(fresh, 10)
    assert.isFalse(await mfa.useRecoveryCode(user, old[0]))
    assert.isTrue(await mfa.useRecoveryCode(user, fresh[0]))
    assert.lengthOf(await auditRows('mfa.recovery_codes_regenerated', user.id), 2)
  })

  test('a merchant user who enrolled is challenged; they may turn MFA off, staff and merchant admins may not', async ({
    client,
    assert,
  }) => {
    const merchantAdmin = await merchantUser(await createMerchant(), 'merchant_agent', {
      withMfa: true,
    })
    const browser = new ConsoleSession(client)
    const password = await browser.post('/login', {
      email: merchantAdmin.email,
      password: TEST_PASSWORD,
    })
    password.assertHeader('location', '/mfa')
    await browser.post('/mfa', { code: authenticator.generate(merchantAdmin.mfaSecret!) })

    const wrongCode = await browser.post('/account/security/mfa/disable', { code: '111111' })
    wrongCode.assertHeader('location', '/account/security')
    assert.property(wrongCode.flashMessage('errors'), 'disableCode')

    // The sign-in code is burnt; the next 30 s step's code is accepted within the drift window
    const next = authenticator
      .clone({ epoch: Date.now() + 30_000 })
      .generate(merchantAdmin.mfaSecret!)
    const disabled = await browser.post('/account/security/mfa/disable', { code: next })
    disabled.assertHeader('location', '/account/security')
    await merchantAdmin.refresh()
    assert.isNull(merchantAdmin.mfaEnabledAt)
    assert.isNull(merchantAdmin.mfaSecret)
    assert.lengthOf(await auditRows('mfa.disabled', merchantAdmin.id), 1)

    const staff = await staffUser('admin')
    const refused = await client
      .post('/account/security/mfa/disable')
      .actingAs(staff)
      .withCsrfToken()
      .redirects(0)
      .form({ code: authenticator.generate(staff.mfaSecret!) })
    refused.assertStatus(403)

    const admin = await merchantUser(await createMerchant(), 'merchant_admin', { withMfa: true })
    const adminRefused = await client
      .post('/account/security/mfa/disable')
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
      .form({ code: authenticator.generate(admin.mfaSecret!) })
    adminRefused.assertStatus(403)
    await admin.refresh()
    assert.isNotNull(admin.mfaSecret)
  })
})

test.group('Account: password', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('a user changes their password with the current one, and only the new one works', async ({
    client,
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    const browser = new ConsoleSession(client)
    await browser.post('/login', { email: user.email, password: TEST_PASSWORD })
    await browser.get('/account/security')
    const newPassword = 'Nile-river-flows-north-42'

    const wrongCurrent = await browser.post('/account/security/password', {
      currentPassword: 'not-it',
      newPassword,
      newPasswordConfirmation: newPassword,
    })
    wrongCurrent.assertHeader('location', '/account/security')
    assert.deepEqual(wrongCurrent.flashMessage('errors'), {
      currentPassword: ['The current password is wrong.'],
    })
    assert.notProperty(wrongCurrent.flashMessage('input') ?? {}, 'currentPassword', 'never echoed')

    const tooShort = await browser.post('/account/security/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
      newPasswordConfirmation: 'short',
    })
    tooShort.assertHasValidationError('newPassword')

    const mismatch = await browser.post('/account/security/password', {
      currentPassword: TEST_PASSWORD,
      newPassword,
      newPasswordConfirmation: `${newPassword}!`,
    })
    mismatch.assertHasValidationError('newPassword')

    const changed = await browser.post('/account/security/password', {
      currentPassword: TEST_PASSWORD,
      newPassword,
      newPasswordConfirmation: newPassword,
    })
    changed.assertFlashMessage('success', 'Your password is changed.')
    assert.equal(browser.values.auth_web, user.id)
    assert.lengthOf(await auditRows('auth.password_changed', user.id), 1)

    const oldOne = await new ConsoleSession(client).post('/login', {
      email: user.email,
      password: TEST_PASSWORD,
    })
    oldOne.assertHeader('location', '/login')
    const newOne = await new ConsoleSession(client).post('/login', {
      email: user.email,
      password: newPassword,
    })
    newOne.assertHeader('location', '/')
  })
})
