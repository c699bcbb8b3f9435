import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Principal } from '#access/principal'
import { MERCHANT_ROLES, ROLE_PERMISSIONS, STAFF_ROLES, type Role } from '#access/roles'
import User from '#access/models/user'
import apiTokens from '#access/services/api_tokens'
import { assertNotOwnRoles } from '#access/services/segregation_of_duties'
import policyEnforcer, { type PolicyEnforcer } from '#access/services/policy_enforcer'
import { auditedWrite } from '#audit/services/audited_write'
import { currentActor } from '#audit/actor'
import { Conflict, FieldInvalid, NotFound } from '#core/errors'

export const PLATFORM_DOMAIN = 'platform'
/** Service principals that run inside the platform (API tokens hold `merchant_api` implicitly). */
const PLATFORM_SERVICE_ROLES = ['webhook_service', 'worker_service']

export function merchantDomain(merchantId: number) {
  return `merchant:${merchantId}`
}

/** The merchant id a `merchant:<id>` domain names, or null for `platform`. */
export function merchantIdOf(domain: string) {
  const match = /^merchant:(\d+)$/.exec(domain)
  return match ? Number(match[1]) : null
}

/** The role that administers a domain's users. */
function adminRoleOf(domain: string) {
  return domain === PLATFORM_DOMAIN ? 'admin' : 'merchant_admin'
}

function subjectOf(userId: number) {
  return `user:${userId}`
}

/** Roles a user may hold in a domain: staff roles on the platform, merchant roles per merchant. */
export function rolesForDomain(domain: string): string[] {
  if (domain === PLATFORM_DOMAIN) return [...STAFF_ROLES, ...PLATFORM_SERVICE_ROLES]
  return merchantIdOf(domain) === null ? [] : [...MERCHANT_ROLES]
}

/** Roles a given user may hold: people get staff or merchant roles, service users service roles. */
export function rolesForUser(user: Pick<User, 'kind'>): string[] {
  if (user.kind === 'service') return [...PLATFORM_SERVICE_ROLES]
  return user.kind === 'staff' ? [...STAFF_ROLES] : [...MERCHANT_ROLES]
}

/**
 * Role assignment and permission checks over Casbin. Every change is one transaction (rule
 * row, audit event, NOTIFY to the other processes) and is applied to this process's enforcer
 * before the call returns.
 */
export class AuthorizationService {
  constructor(readonly policy: PolicyEnforcer = policyEnforcer) {}

  /** Gives a user a role in a domain; false when the user already held it. */
  async assignRole(userId: number, role: string, domain: string) {
    await this.assertAssignable(userId, role, domain)
    return this.changeRole('role.assigned', userId, role, domain)
  }

  /** Takes a role away; false when the user did not hold it. A domain's last admin stays. */
  async revokeRole(userId: number, role: string, domain: string) {
    return this.changeRole('role.revoked', userId, role, domain)
  }

  /** One transaction: the rule row, its audit event and the NOTIFY to the other processes. */
  private async changeRole(
    action: 'role.assigned' | 'role.revoked',
    userId: number,
    role: string,
    domain: string
  ) {
    await assertNotOwnRoles(currentActor(), userId, {
      role,
      domain,
      merchantId: merchantIdOf(domain),
    })
    await this.policy.ready()
    const rule = [[subjectOf(userId), role, domain]]
    const changed = await auditedWrite(
      async (trx) => {
        let rows: unknown[]
        if (action === 'role.assigned') {
          rows = await this.policy.adapter.insertRules('g', rule, trx)
        } else {
          if (role === adminRoleOf(domain)) await this.assertAnotherAdmin(userId, domain, trx)
          rows = await this.policy.adapter.deleteRules('g', rule, trx)
        }
        if (!rows.length) return false
        await this.policy.notify(trx, [domain])
        return true
      },
      (wasChanged) =>
        wasChanged
          ? {
              action,
              merchantId: merchantIdOf(domain),
              target: { type: 'user', id: userId },
              meta: { role, domain },
            }
          : null
    )
    if (changed) await this.policy.refresh([domain])
    // Tokens outlive the role that let their creator mint them unless revoked with it
    if (changed && action === 'role.revoked' && role === 'merchant_admin') {
      await apiTokens.revokeCreatedBy(userId, currentActor(), 'admin_role_revoked')
    }
    return changed
  }

  /** The roles a user holds in a domain, as this process's enforcer sees them. */
  async rolesOf(userId: number, domain: string) {
    const enforcer = await this.policy.ready()
    const roles = await enforcer.getRolesForUserInDomain(subjectOf(userId), domain)
    return roles.sort()
  }

  /**
   * May this principal do `permission` in its own domain? Users are checked through their
   * roles; a token acts as `merchant_api` in its merchant and only within its scopes, so it is
   * never staff and never more than its role allows.
   */
  async can(principal: Principal, permission: string) {
    await this.policy.ready()
    if (principal.kind === 'token') {
      return (
        principal.merchantId !== null &&
        principal.domain === merchantDomain(principal.merchantId) &&
        (principal.scopes ?? []).includes(permission) &&
        this.policy.allows('merchant_api', principal.domain, permission)
      )
    }
    return this.policy.allows(subjectOf(principal.userId), principal.domain, permission)
  }

  /**
   * Refuses a change that would leave `domain` without an active admin (the platform's
   * `admin`, a merchant's `merchant_admin`) other than `userId`: nobody could then manage its
   * users. The admin rows are locked so two concurrent changes cannot both pass.
   */
  async assertAnotherAdmin(userId: number, domain: string, trx: TransactionClientContract) {
    const role = adminRoleOf(domain)
    const holders = await trx
      .from('casbin_rules')
      .where({ ptype: 'g', v1: role, v2: domain })
      .forUpdate()
      .select('v0')
    if (!holders.some((row) => row.v0 === subjectOf(userId))) return
    const others = await trx
      .from('users')
      .whereIn(
        'id',
        holders
          .filter((row) => row.v0 !== subjectOf(userId))
          .map((row) => Number(String(row.v0).slice('user:'.length)))
      )
      .whereNull('disabled_at')
      .count('* as total')
    if (Number(others[0].total) === 0) {
      throw new Conflict(
        'last_admin',
        domain === PLATFORM_DOMAIN
          ? 'The platform must keep at least one active admin.'
          : 'This merchant must keep at least one active merchant admin.'
      )
    }
  }

  private async assertAssignable(userId: number, role: string, domain: string) {
    if (!(role in ROLE_PERMISSIONS)) {
      throw new FieldInvalid('role', `There is no role called "${role}".`, 'access_unknown_role')
    }
    if (!rolesForDomain(domain).includes(role as Role)) {
      throw new FieldInvalid(
        'role',
        `The role ${role} cannot be held in the ${domain} domain.`,
        'access_role_wrong_domain'
      )
    }
    const user = await User.find(userId)
    if (!user) throw new NotFound('user')
    if (user.domain !== domain) {
      throw new FieldInvalid(
        'domain',
        'A user can only hold roles in their own domain.',
        'access_role_foreign_domain'
      )
    }
    if (!rolesForUser(user).includes(role)) {
      throw new FieldInvalid(
        'role',
        `The role ${role} is not for a ${user.kind} user.`,
        'access_role_not_for_user_kind'
      )
    }
  }
}

const authorization = new AuthorizationService()
export default authorization

export const assignRole = authorization.assignRole.bind(authorization)
export const revokeRole = authorization.revokeRole.bind(authorization)
export const rolesOf = authorization.rolesOf.bind(authorization)
export const can = authorization.can.bind(authorization)
