import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Principal } from '#access/principal'
import User from '#access/models/user'
import Merchant from '#merchants/models/merchant'
import apiTokens from '#access/services/api_tokens'
import userSessions from '#access/services/user_sessions'
import invitations from '#access/services/invitations'
import authorization, {
  merchantDomain,
  PLATFORM_DOMAIN,
  rolesForUser,
} from '#access/services/authorization'
import { findScopedOrFail, scopedQuery } from '#access/services/tenant_scope'
import auditTrail from '#audit/services/audit_trail'
import { auditedWrite } from '#audit/services/audited_write'
import { actorOf } from '#audit/actor'
import { Conflict, FieldInvalid } from '#core/errors'
import { pageOf } from '#core/pagination'

export interface UserFilters {
  page?: number
  perPage?: number
  q?: string
  kind?: 'staff' | 'merchant'
  merchantId?: number
  role?: string
  status?: 'active' | 'disabled'
  mfa?: 'on' | 'off'
}

export interface NewUser {
  fullName: string
  email: string
  kind: 'staff' | 'merchant'
  merchantId?: number
  role: string
}

/** Why user administration reads users' names and e-mails (recorded with every read). */
const READ_PURPOSE = 'access_administration'

/** The domain a user's roles live in, without loading the user. */
function domainOf(user: Pick<User, 'merchantId'>) {
  return user.merchantId ? merchantDomain(user.merchantId) : PLATFORM_DOMAIN
}

/**
 * User administration for admins: staff admins see everyone, a merchant admin only its own
 * merchant's users (every read goes through the tenant scope).
 */
export class UserAdmin {
  async list(principal: Principal, filters: UserFilters) {
    const { page, perPage } = pageOf(filters)
    const query = scopedQuery(principal, User).preload('merchant').orderBy('users.id')
    if (filters.q) query.whereIn('users.id', await this.matchingIds(principal, filters.q))
    if (filters.kind) query.where('users.kind', filters.kind)
    if (filters.merchantId) query.where('users.merchant_id', filters.merchantId)
    if (filters.status === 'active') query.whereNull('users.disabled_at')
    if (filters.status === 'disabled') query.whereNotNull('users.disabled_at')
    if (filters.mfa === 'on') query.whereNotNull('users.mfa_enabled_at')
    if (filters.mfa === 'off') query.whereNull('users.mfa_enabled_at')
    if (filters.role) {
      // g rows: v0 = user:<id>, v1 = role, v2 = domain (the user's own)
      query.whereExists((rule) =>
        rule
          .from('casbin_rules')
          .where('casbin_rules.ptype', 'g')
          .where('casbin_rules.v1', filters.role!)
          .whereRaw(`casbin_rules.v0 = 'user:' || users.id`)
      )
    }
    const users = await query.paginate(page, perPage)
    const roles = await this.rolesByUser(users.all())
    await this.recordRead(principal, { count: users.all().length, page })
    return { users, roles }
  }

  /**
   * Names and e-mails are sealed (#keys), so a substring search opens them in memory; the
   * users a principal may see are few enough for that.
   */
  private async matchingIds(principal: Principal, q: string) {
    const term = q.toLowerCase()
    const visible = await scopedQuery(principal, User).select(
      'id',
      'merchant_id',
      'email',
      'full_name'
    )
    return visible
      .filter((u) => u.fullName.toLowerCase().includes(term) || u.email.includes(term))
      .map((u) => u.id)
  }

  async find(principal: Principal, userId: number) {
    const user = await findScopedOrFail(principal, User, userId, { what: 'user' })
    await user.load('merchant')
    return user
  }

  /** One user's record (name, e-mail, sign-in history) for the admin page; the read is audited. */
  async view(principal: Principal, userId: number) {
    const user = await this.find(principal, userId)
    await this.recordRead(principal, { count: 1 }, user)
    return user
  }

  /** Names and e-mails are personal data: every read is audited with its purpose. */
  private recordRead(principal: Principal, meta: Record<string, number>, user?: User) {
    return auditTrail.record({
      action: 'personal_data.read',
      actor: actorOf(principal),
      merchantId: user ? user.merchantId : principal.merchantId,
      target: user ? { type: 'user', id: user.id } : undefined,
      purpose: READ_PURPOSE,
      meta: { subject: 'users', ...meta },
    })
  }

  /** Roles per user id, from the stored assignments (one query for a page of users). */
  async rolesByUser(users: User[]) {
    const roles = new Map<number, string[]>(users.map((user) => [user.id, []]))
    if (!users.length) return roles
    const rows = await db
      .from('casbin_rules')
      .where('ptype', 'g')
      .whereIn(
        'v0',
        users.map((user) => `user:${user.id}`)
      )
      .select('v0', 'v1', 'v2')
      .orderBy('v1')
    const domains = new Map(users.map((user) => [`user:${user.id}`, domainOf(user)]))
    for (const row of rows) {
      if (domains.get(row.v0) !== row.v2) continue
      roles.get(Number(row.v0.slice(5)))?.push(row.v1)
    }
    return roles
  }

  /**
   * Creates a user with an initial role and e-mails them an invitation to set their own
   * password and enrol MFA; a merchant admin can only add to its own merchant. When the address
   * already belongs to an account the principal cannot see (another tenant's, or staff), the
   * answer is the same as for a new invitation and nothing is created: whether an e-mail is
   * registered elsewhere is not revealed. Returns the new user, or null in that case.
   */
  async create(principal: Principal, input: NewUser) {
    const staffReach = principal.domain === PLATFORM_DOMAIN
    const kind = staffReach ? input.kind : 'merchant'
    const merchantId =
      kind === 'merchant' ? (staffReach ? input.merchantId : principal.merchantId) : null
    if (kind === 'merchant') {
      if (!merchantId || !(await Merchant.find(merchantId))) {
        throw new FieldInvalid(
          'merchantId',
          'Choose the merchant this user belongs to.',
          'access_user_merchant_required'
        )
      }
    }
    const domain = merchantId ? merchantDomain(merchantId) : PLATFORM_DOMAIN
    if (!rolesForUser({ kind }).includes(input.role)) {
      throw new FieldInvalid('role', `Choose a ${kind} role.`, 'access_role_for_new_user_kind')
    }
    const actor = actorOf(principal)
    const existing = await User.findByEmail(input.email)
    if (existing) {
      if (staffReach || existing.merchantId === principal.merchantId) {
        throw new FieldInvalid(
          'email',
          'A user with this e-mail already exists.',
          'access_user_email_taken'
        )
      }
      // Recorded for the platform only: the tenant's own trail must not tell it either
      await auditTrail.record({
        action: 'user.create_refused',
        outcome: 'failure',
        actor,
        merchantId: null,
        meta: { reason: 'email_registered_elsewhere', requestedFor: domain },
      })
      return null
    }
    const user = await db.transaction(async (trx) => {
      const created = await User.create(
        { kind, merchantId, email: input.email, fullName: input.fullName, password: null },
        { client: trx }
      )
      await auditTrail.record(
        {
          action: 'user.created',
          actor,
          merchantId,
          target: { type: 'user', id: created.id },
          meta: { kind },
        },
        trx
      )
      await invitations.issue(created, actor, trx)
      return created
    })
    await authorization.assignRole(user.id, input.role, domain)
    return user
  }

  /** A new link for someone who has not signed up yet; the earlier ones stop working. */
  async reinvite(principal: Principal, userId: number) {
    const user = await this.find(principal, userId)
    if (!user.invitationPending) {
      throw new Conflict('already_signed_up', 'This user has already set a password.')
    }
    if (user.disabledAt) {
      throw new Conflict('user_disabled', 'Enable the user before sending a new invitation.')
    }
    await invitations.issue(user, actorOf(principal))
    return user
  }

  /** Disables or re-enables a user; nobody can disable themselves. */
  async setDisabled(principal: Principal, userId: number, disabled: boolean) {
    const user = await this.find(principal, userId)
    if (disabled && principal.kind === 'user' && principal.userId === user.id) {
      throw new Conflict('cannot_disable_self', 'You cannot disable your own account.')
    }
    if (Boolean(user.disabledAt) === disabled) return user
    await auditedWrite(
      async (trx) => {
        if (disabled) await authorization.assertAnotherAdmin(user.id, user.domain, trx)
        user.useTransaction(trx)
        user.disabledAt = disabled ? DateTime.utc() : null
        await user.save()
      },
      {
        action: disabled ? 'user.disabled' : 'user.enabled',
        actor: actorOf(principal),
        merchantId: user.merchantId,
        target: { type: 'user', id: user.id },
      }
    )
    if (disabled) {
      // Offboarding cuts access at once: open sessions and the tokens they minted
      const actor = actorOf(principal)
      await userSessions.endAll(user.id, 'user_disabled', { actor, merchantId: user.merchantId })
      await apiTokens.revokeCreatedBy(user.id, actor, 'user_disabled')
      await invitations.revokeFor(user.id)
    }
    return user
  }

  /** Assigns or revokes a role on a user within the principal's reach, in the user's domain. */
  async changeRole(principal: Principal, userId: number, role: string, grant: boolean) {
    const user = await this.find(principal, userId)
    if (!rolesForUser(user).includes(role)) {
      throw new FieldInvalid(
        'role',
        `The role ${role} does not apply to this user.`,
        'access_role_not_for_user_kind'
      )
    }
    return grant
      ? authorization.assignRole(user.id, role, user.domain)
      : authorization.revokeRole(user.id, role, user.domain)
  }
}

const userAdmin = new UserAdmin()
export default userAdmin
