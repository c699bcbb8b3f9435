import { auditedWrite } from '#audit/services/audited_write'
import { ROLE_PERMISSIONS } from '#access/roles'
import { ruleDifference } from '#access/services/casbin_adapter'
import type { PolicyEnforcer } from '#access/services/policy_enforcer'

/* Serialises concurrent syncs (web and worker booting together). */
const SYNC_LOCK = 0x726f6c65

/** The domain-`*` rules that `app/access/roles.ts` describes: [role, '*', resource, action]. */
export function rolePermissionRules() {
  return Object.entries(ROLE_PERMISSIONS).flatMap(([role, permissions]) =>
    permissions.map((permission) => {
      const at = permission.indexOf(':')
      return [role, '*', permission.slice(0, at), permission.slice(at + 1)]
    })
  )
}

/**
 * Makes the stored domain-`*` rules equal to roles.ts (adds missing, removes stale), audits a
 * real change as `policy.changed` and tells every process. Idempotent: a re-run changes nothing.
 */
export async function syncRolePermissions(policy: PolicyEnforcer) {
  const { added, removed } = await auditedWrite(
    async (trx) => {
      await trx.rawQuery('SELECT pg_advisory_xact_lock(?)', [SYNC_LOCK])
      const sharedRules = await policy.adapter.rulesOf({ domains: [], shared: true }, trx)
      const stored = sharedRules.get('p') ?? []
      const wanted = rolePermissionRules()
      const inserted = await policy.adapter.insertRules('p', ruleDifference(wanted, stored), trx)
      const deleted = await policy.adapter.deleteRules('p', ruleDifference(stored, wanted), trx)
      if (inserted.length || deleted.length) await policy.notify(trx, ['*'])
      return { added: inserted, removed: deleted }
    },
    (rules) =>
      rules.added.length || rules.removed.length
        ? {
            action: 'policy.changed',
            actor: { type: 'system' },
            target: { type: 'policy', id: '*' },
            meta: {
              domain: '*',
              added: rules.added.map((rule) => `${rule[0]}=${rule[2]}:${rule[3]}`),
              removed: rules.removed.map((rule) => `${rule[0]}=${rule[2]}:${rule[3]}`),
            },
          }
        : null
  )
  const change = { added: added.length, removed: removed.length }
  if (change.added || change.removed) await policy.refresh(['*'])
  return change
}
