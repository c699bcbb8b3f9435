import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { authenticator } from 'otplib'
import ApiToken from '#access/models/api_token'
import { DEMO_MERCHANT_USERS, DEMO_PASSWORD, DEMO_STAFF } from '#access/demo_accounts'
import { createMerchant, staffUser } from '#tests/helpers/actors'

/** Runs an ace command in this process and returns its exit code and printed lines. */
async function ace(name: string, args: string[]) {
  const kernel = await app.container.make('ace')
  kernel.ui.switchMode('raw')
  const command = await kernel.exec(name, args)
  const output = command.logger.getLogs().map((log) => log.message)
  return { exitCode: command.exitCode, output: output.join('\n') }
}

test.group('Access commands', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('tokens:create prints a working token and audits it', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const result = await ace('tokens:create', [
      '--merchant',
      merchant.slug,
      '--name',
      'Nightly export',
      '--days',
      '7',
    ])
    assert.equal(result.exitCode, 0)
    const plaintext = /cvh_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}/.exec(result.output)![0]

    const token = await ApiToken.findByOrFail('merchantId', merchant.id)
    assert.equal(token.name, 'Nightly export')
    assert.include(token.scopes, 'merchant:read')
    assert.equal(Math.round(token.expiresAt!.diffNow('days').days), 7)
    const [audit] = await db
      .from('audit_events')
      .where('action', 'token.created')
      .where('target_id', String(token.id))
    assert.equal(audit.actor_type, 'system')

    const me = await client.get('/api/v1/merchant').bearerToken(plaintext)
    me.assertStatus(200)
  })

  test('tokens:create validates the merchant, the scopes and the expiry', async ({ assert }) => {
    const merchant = await createMerchant()
    const unknownMerchant = await ace('tokens:create', [
      '--merchant',
      'no-such-shop',
      '--name',
      'x',
    ])
    assert.equal(unknownMerchant.exitCode, 1)
    assert.include(unknownMerchant.output, 'No merchant with slug "no-such-shop"')

    const badScope = await ace('tokens:create', [
      '--merchant',
      merchant.slug,
      '--name',
      'x',
      '--scopes',
      'merchant:read,users:manage',
    ])
    assert.equal(badScope.exitCode, 1)
    assert.include(badScope.output, 'users:manage')

    const badDays = await ace('tokens:create', [
      '--merchant',
      merchant.slug,
      '--name',
      'x',
      '--days',
      '0',
    ])
    assert.equal(badDays.exitCode, 1)
    const count = await ApiToken.query()
      .where('merchantId', merchant.id)
      .count('* as n')
      .firstOrFail()
    assert.equal(Number(count.$extras.n), 0)
  })

  test("mfa:code prints the user's current TOTP code", async ({ assert }) => {
    const user = await staffUser('dpo')
    const result = await ace('mfa:code', [user.email.toUpperCase()])
    assert.equal(result.exitCode, 0)
    assert.equal(result.output.trim(), authenticator.generate(user.mfaSecret!))

    const unknown = await ace('mfa:code', ['nobody@nowhere.test'])
    assert.equal(unknown.exitCode, 1)
  })

  test('demo:logins prints the console URL, every demo login and the staff TOTP secrets', async ({
    assert,
  }) => {
    const result = await ace('demo:logins', [])
    assert.equal(result.exitCode, 0)
    assert.include(result.output, '/login')
    assert.include(result.output, DEMO_PASSWORD)
    for (const staff of DEMO_STAFF) {
      assert.include(result.output, staff.email)
      assert.include(result.output, staff.totpSecret)
    }
    for (const user of DEMO_MERCHANT_USERS) assert.include(result.output, user.email)
  })

  test('mfa:code and demo:logins refuse to run in production', async ({ assert }) => {
    for (const args of [['mfa:code', DEMO_STAFF[0].email], ['demo:logins']]) {
      const run = spawnSync(process.execPath, ['ace.js', ...args], {
        cwd: app.appRoot.pathname,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          APP_KEY: randomBytes(32).toString('hex'),
          // Production boots only with real Meta secrets; these get it past that check
          META_VERIFY_TOKEN: randomBytes(16).toString('hex'),
          META_APP_SECRET: randomBytes(16).toString('hex'),
          INSTAGRAM_APP_SECRET: '',
          LOG_LEVEL: 'error',
        },
      })
      assert.equal(run.status, 1, run.stderr)
      assert.include(`${run.stdout}${run.stderr}`, 'refuses to run in production')
      assert.notInclude(`${run.stdout}${run.stderr}`, DEMO_STAFF[0].totpSecret)
    }
  }).timeout(120_000)
})
