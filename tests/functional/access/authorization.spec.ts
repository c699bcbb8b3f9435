import { test } from '@japa/runner'
import { once } from 'node:events'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#access/models/user'
import type Merchant from '#merchants/models/merchant'
import { createMerchant } from '#tests/helpers/actors'
import authorization, { AuthorizationService, merchantDomain } from '#access/services/authorization'
import { newModelFromString } from 'casbin'
import { CASBIN_MODEL, LISTENER_NAME, PolicyEnforcer } from '#access/services/policy_enforcer'
import { LucidCasbinAdapter } from '#access/services/casbin_adapter'
import { syncRolePermissions } from '#access/services/role_policy'
import type { Principal } from '#access/principal'
import AuditEvent from '#audit/models/audit_event'

let seq = 0
/** A user holding no role at all (the actors helpers always assign one). */
async function makeUser(merchant?: Merchant) {
  seq++
  return User.create({
    kind: merchant ? 'merchant' : 'staff',
    merchantId: merchant?.id ?? null,
    email: `authz-${Date.now()}-${seq}@example.test`,
    fullName: `Test User ${seq}`,
    password: 'correct horse battery staple',
  })
}

function userPrincipal(user: User, roles: string[] = []): Principal {
  return {
    kind: 'user',
    userId: user.id,
    tokenId: null,
    merchantId: user.merchantId,
    domain: user.domain,
    roles,
    scopes: null,
    label: user.fullName,
  }
}

test.group('Authorization service', () => {
  test('denies by default and allows once a role is assigned', async ({ assert }) => {
    const user = await makeUser()
    assert.isFalse(await authorization.can(userPrincipal(user), 'reports:generate'))

    assert.isTrue(await authorization.assignRole(user.id, 'dpo', 'platform'))
    assert.isFalse(await authorization.assignRole(user.id, 'dpo', 'platform'))
    assert.deepEqual(await authorization.rolesOf(user.id, 'platform'), ['dpo'])
    assert.isTrue(await authorization.can(userPrincipal(user), 'reports:generate'))
    assert.isFalse(await authorization.can(userPrincipal(user), 'no_such:permission'))

    const audited = await AuditEvent.query()
      .where('action', 'role.assigned')
      .where('target_id', String(user.id))
    assert.lengthOf(audited, 1)
    assert.deepEqual(audited[0].meta, { role: 'dpo', domain: 'platform' })

    assert.isTrue(await authorization.revokeRole(user.id, 'dpo', 'platform'))
    assert.isFalse(await authorization.can(userPrincipal(user), 'reports:generate'))
    assert.deepEqual(await authorization.rolesOf(user.id, 'platform'), [])
  })

  test('the last platform admin cannot be revoked', async ({ assert, cleanup }) => {
    // Inside a rolled-back transaction, so other tests' admins can be set aside
    const rollback = await testUtils.db().withGlobalTransaction()
    cleanup(async () => {
      await rollback()
      // The enforcer saw the rolled-back state: re-read the domain as committed
      await authorization.policy.refresh(['platform'])
    })
    const user = await makeUser()
    await authorization.assignRole(user.id, 'admin', 'platform')
    await db
      .from('casbin_rules')
      .where({ ptype: 'g', v1: 'admin', v2: 'platform' })
      .whereNot('v0', `user:${user.id}`)
      .delete()

    const error = await authorization.revokeRole(user.id, 'admin', 'platform').catch((e) => e)
    assert.equal(error.code, 'last_admin')
    assert.equal(error.status, 409)

    const second = await makeUser()
    await authorization.assignRole(second.id, 'admin', 'platform')
    assert.isTrue(await authorization.revokeRole(user.id, 'admin', 'platform'))
  })

  test('a merchant role applies only in its own merchant domain', async ({ assert }) => {
    const [a, b] = [await createMerchant(), await createMerchant()]
    const user = await makeUser(a)
    await authorization.assignRole(user.id, 'merchant_admin', merchantDomain(a.id))

    assert.isTrue(await authorization.can(userPrincipal(user), 'tokens:manage'))
    const elsewhere = { ...userPrincipal(user), domain: merchantDomain(b.id), merchantId: b.id }
    assert.isFalse(await authorization.can(elsewhere, 'tokens:manage'))
    assert.isFalse(
      await authorization.can({ ...userPrincipal(user), domain: 'platform' }, 'tokens:manage')
    )
  })

  test('refuses roles that do not fit the domain or the user', async ({ assert }) => {
    const merchant = await createMerchant()
    const staff = await makeUser()
    const merchantUser = await makeUser(merchant)

    await assert.rejects(() => authorization.assignRole(staff.id, 'merchant_admin', 'platform'))
    await assert.rejects(() => authorization.assignRole(merchantUser.id, 'admin', 'platform'))
    await assert.rejects(() =>
      authorization.assignRole(staff.id, 'merchant_admin', merchantDomain(merchant.id))
    )
    await assert.rejects(() => authorization.assignRole(staff.id, 'overlord', 'platform'))
    // Service roles are for service users, never people
    await assert.rejects(() => authorization.assignRole(staff.id, 'worker_service', 'platform'))
    assert.deepEqual(await authorization.rolesOf(staff.id, 'platform'), [])
    assert.deepEqual(await authorization.rolesOf(merchantUser.id, 'platform'), [])
  })

  test('tokens act as merchant_api within their scopes and are never staff', async ({ assert }) => {
    const merchant = await createMerchant()
    const owner = await makeUser(merchant)
    const token: Principal = {
      kind: 'token',
      userId: owner.id,
      tokenId: 1,
      merchantId: merchant.id,
      domain: merchantDomain(merchant.id),
      roles: ['merchant_api'],
      scopes: ['merchant:read'],
      label: 'ci token',
    }
    assert.isTrue(await authorization.can(token, 'merchant:read'))
    // In scope nowhere else, and a scope cannot grant what the role lacks
    assert.isFalse(await authorization.can({ ...token, scopes: [] }, 'merchant:read'))
    assert.isFalse(await authorization.can({ ...token, scopes: ['users:manage'] }, 'users:manage'))
    assert.isFalse(await authorization.can({ ...token, domain: 'platform' }, 'merchant:read'))
  })
})

test.group('Policy sync between processes', () => {
  test('a change made through one enforcer reaches another through NOTIFY', async ({
    assert,
    cleanup,
  }) => {
    const first = new PolicyEnforcer()
    const second = new PolicyEnforcer()
    cleanup(async () => {
      await Promise.all([first.close(), second.close()])
    })
    const viaFirst = new AuthorizationService(first)
    const viaSecond = new AuthorizationService(second)
    await Promise.all([first.ready(), second.ready()])

    const user = await makeUser()
    assert.isFalse(await viaSecond.can(userPrincipal(user), 'audit:verify'))

    const heard = once(second, 'refreshed')
    await viaFirst.assignRole(user.id, 'auditor', 'platform')
    const [domains] = await heard
    assert.deepEqual(domains, ['platform'])
    assert.isTrue(await viaSecond.can(userPrincipal(user), 'audit:verify'))

    const heardRevoke = once(second, 'refreshed')
    await viaFirst.revokeRole(user.id, 'auditor', 'platform')
    await heardRevoke
    assert.isFalse(await viaSecond.can(userPrincipal(user), 'audit:verify'))
  })

  test('a listener that lost its connection reconnects and catches up', async ({
    assert,
    cleanup,
  }) => {
    const first = new PolicyEnforcer({ watch: false })
    const second = new PolicyEnforcer()
    cleanup(async () => {
      await Promise.all([first.close(), second.close()])
    })
    await Promise.all([first.ready(), second.ready()])

    // Cut every policy listener (this process's shared one reconnects the same way)
    await db.rawQuery(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?',
      [LISTENER_NAME]
    )
    const user = await makeUser()
    const caughtUp = new Promise<string[]>((resolve) => {
      const onRefresh = (domains: string[]) => {
        if (!domains.includes('*')) return
        second.off('refreshed', onRefresh)
        resolve(domains)
      }
      second.on('refreshed', onRefresh)
    })
    // Made while the listener is down: only the reconnect's full reload can bring it
    await new AuthorizationService(first).assignRole(user.id, 'auditor', 'platform')
    assert.deepEqual(await caughtUp, ['*'])
    assert.isTrue(await new AuthorizationService(second).can(userPrincipal(user), 'audit:verify'))
  })

  test('a filtered load holds the shared rules and one domain only', async ({ assert }) => {
    const [a, b] = [await createMerchant(), await createMerchant()]
    const [userA, userB] = [await makeUser(a), await makeUser(b)]
    await authorization.assignRole(userA.id, 'merchant_admin', merchantDomain(a.id))
    await authorization.assignRole(userB.id, 'merchant_admin', merchantDomain(b.id))

    const model = newModelFromString(CASBIN_MODEL)
    const adapter = new LucidCasbinAdapter()
    await adapter.loadFilteredPolicy(model, { domains: [merchantDomain(a.id)] })
    assert.isTrue(adapter.isFiltered())
    const groupings = model.getPolicy('g', 'g')
    assert.deepEqual(groupings, [[`user:${userA.id}`, 'merchant_admin', merchantDomain(a.id)]])
    const shared = model.getPolicy('p', 'p')
    assert.isAbove(shared.length, 0)
    assert.isTrue(shared.every((rule) => rule[1] === '*'))
    // A filtered adapter refuses to overwrite the whole table
    await assert.rejects(() => adapter.savePolicy(model))
  })

  test('the role rules from roles.ts are stored once, in domain *', async ({ assert }) => {
    // Idempotent: a second sync changes nothing
    await syncRolePermissions(authorization.policy)
    assert.deepEqual(await syncRolePermissions(authorization.policy), { added: 0, removed: 0 })
    const rows = await db.from('casbin_rules').where('ptype', 'p').select('v1')
    assert.isAbove(rows.length, 0)
    assert.isTrue(rows.every((row) => row.v1 === '*'))
  })
})
