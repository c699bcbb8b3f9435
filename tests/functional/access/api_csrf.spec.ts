import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { authenticator } from 'otplib'
import { bearerToken, createMerchant, merchantUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'
import { RawBrowser } from '#tests/helpers/raw_browser'
import { resetRateLimits } from '#tests/helpers/rate_limits'

const OVERRIDE = '/api/v1/retention/overrides/customer.content.message'

test.group('The API and the session cookie', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('a cross-site form cannot change data through the API as the signed-in merchant', async ({
    assert,
  }) => {
    await seedDataMap()
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const browser = new RawBrowser()
    await browser.submit('/login', '/login', { email: admin.email, password: TEST_PASSWORD })
    await browser.submit('/mfa', '/mfa', { code: authenticator.generate(admin.mfaSecret!) })

    // What another site's auto-submitting form sends: the cookie rides along, no token
    const body = new URLSearchParams({ durationDays: '30', reason: 'cross-site' })
    const forged = await browser.send('POST', `${OVERRIDE}?_method=PUT`, body)
    assert.equal(forged.status, 403)
    const json = await browser.send(
      'PUT',
      OVERRIDE,
      JSON.stringify({ durationDays: 30, reason: 'no token' }),
      'application/json'
    )
    assert.equal(json.status, 403)
    const rows = await db.from('merchant_retention_overrides').where('merchant_id', merchant.id)
    assert.lengthOf(rows, 0)

    // The console itself sends the token from its page, and the same call goes through
    const page = await browser.get('/account/security')
    const token = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(await page.text())![1]
    const withToken = await new RawBrowser(browser.baseUrl, { 'x-csrf-token': token })
    withToken.cookies = browser.cookies
    const allowed = await withToken.send(
      'PUT',
      OVERRIDE,
      JSON.stringify({ durationDays: 30, reason: 'from the console' }),
      'application/json'
    )
    assert.equal(allowed.status, 200)

    // Downloads (GET) keep working with the session alone
    const ropa = await browser.get('/api/v1/ropa.csv')
    assert.equal(ropa.status, 200)
  })

  test('bearer-token calls need no CSRF token, even with a session cookie present', async ({
    client,
  }) => {
    await seedDataMap()
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['retention:manage'] })
    const response = await client
      .put(OVERRIDE)
      .withSession({ unrelated: true })
      .header('authorization', `Bearer ${token}`)
      .json({ durationDays: 60, reason: 'integration' })
    response.assertStatus(200)
  })
})
