import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import { authenticator } from 'otplib'
import AccessSeeder from '#database/seeders/10_access_seeder'
import User from '#access/models/user'
import Merchant from '#merchants/models/merchant'
import { rolesOf } from '#access/services/authorization'
import { DEMO_MERCHANT_USERS, DEMO_PASSWORD, DEMO_STAFF } from '#access/demo_accounts'
import { ConsoleSession } from '#tests/helpers/console_session'
import { resetRateLimits } from '#tests/helpers/rate_limits'

async function counts() {
  const result: Record<string, number> = {}
  for (const table of ['merchants', 'users', 'casbin_rules', 'audit_events']) {
    const row = await db.from(table).count('* as n').first()
    result[table] = Number(row.n)
  }
  return result
}

test.group('Demo seed', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('seeds both merchants, staff in every role, an auditor and merchant users; re-running changes nothing', async ({
    assert,
  }) => {
    await new AccessSeeder(db.connection()).run()
    const first = await counts()
    await new AccessSeeder(db.connection()).run()
    assert.deepEqual(await counts(), first)

    const nile = await Merchant.findByOrFail('slug', 'nile-fashion')
    const delta = await Merchant.findByOrFail('slug', 'delta-electronics')
    assert.equal(nile.legalName, 'Nile Fashion S.A.E.')
    assert.equal(delta.legalName, 'Delta Electronics LLC')
    assert.equal(delta.countryCode, 'EG')

    const staffRoles = new Set<string>()
    for (const demo of DEMO_STAFF) {
      const user = (await User.findByEmail(demo.email))!
      assert.equal(user.kind, 'staff')
      assert.equal(user.mfaSecret, demo.totpSecret)
      assert.isTrue(await hash.verify(user.password!, DEMO_PASSWORD))
      for (const role of await rolesOf(user.id, 'platform')) staffRoles.add(role)
    }
    assert.sameMembers(
      [...staffRoles],
      ['admin', 'dpo', 'privacy_analyst', 'legal_counsel', 'auditor']
    )

    for (const demo of DEMO_MERCHANT_USERS) {
      const user = (await User.findByEmail(demo.email))!
      const merchant = demo.merchantSlug === 'nile-fashion' ? nile : delta
      assert.equal(user.merchantId, merchant.id)
      assert.deepEqual(await rolesOf(user.id, merchant.domain), [demo.role])
      // Merchant admins must pass MFA, so the demo gives them a printed secret too
      if (demo.role === 'merchant_admin') assert.equal(user.mfaSecret, demo.totpSecret)
    }
  })

  test('a demo staff login gets through MFA with the printed secret', async ({
    client,
    assert,
  }) => {
    await new AccessSeeder(db.connection()).run()
    const admin = DEMO_STAFF.find((staff) => staff.role === 'admin')!
    const browser = new ConsoleSession(client)
    const password = await browser.post('/login', { email: admin.email, password: DEMO_PASSWORD })
    password.assertHeader('location', '/mfa')
    const code = await browser.post('/mfa', { code: authenticator.generate(admin.totpSecret) })
    code.assertHeader('location', '/')
    const dashboard = await browser.get('/')
    dashboard.assertStatus(200)
    assert.isDefined(browser.values.auth_web)
  })
})
