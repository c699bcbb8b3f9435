import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { rolesOf } from '#access/services/authorization'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'

async function ace(...argv: string[]) {
  const kernel = await app.container.make('ace')
  return kernel.exec('roles:assign', argv)
}

test.group('roles:assign command', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('assigns and revokes in the user own domain, audited as system', async ({ assert }) => {
    const user = await staffUser('auditor')
    const assigned = await ace(user.email, 'dpo')
    assert.equal(assigned.exitCode, 0)
    assert.deepEqual(await rolesOf(user.id, 'platform'), ['auditor', 'dpo'])

    const revoked = await ace(user.email, 'dpo', '--revoke')
    assert.equal(revoked.exitCode, 0)
    assert.deepEqual(await rolesOf(user.id, 'platform'), ['auditor'])

    const events = await db
      .from('audit_events')
      .whereIn('action', ['role.assigned', 'role.revoked'])
      .where('target_id', String(user.id))
      .where('actor_type', 'system')
      .whereRaw("meta->>'role' = 'dpo'")
    assert.lengthOf(events, 2)
  })

  test('refuses unknown users and roles that do not fit the user', async ({ assert }) => {
    const merchantAdmin = await merchantUser(await createMerchant(), 'merchant_admin')
    const unknown = await ace('nobody@nowhere.test', 'admin')
    assert.equal(unknown.exitCode, 1)
    const misfit = await ace(merchantAdmin.email, 'admin')
    assert.equal(misfit.exitCode, 1)
    assert.deepEqual(await rolesOf(merchantAdmin.id, merchantAdmin.domain), ['merchant_admin'])
  })
})
