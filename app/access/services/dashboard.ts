import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import type { Principal } from '#access/principal'
import User from '#access/models/user'
import ApiToken from '#access/models/api_token'
import AuditEvent from '#audit/models/audit_event'
import Objection from '#vendors/models/objection'
import Merchant from '#merchants/models/merchant'
import authorization, { PLATFORM_DOMAIN } from '#access/services/authorization'
import { scopedQuery } from '#access/services/tenant_scope'

/** Who a card is for: platform staff, merchant users, or both. */
type Audience = 'platform' | 'merchant' | 'all'

export interface CountCard {
  key: string
  label: string
  /** Shown only to principals holding this permission. */
  permission: string
  audience: Audience
  /** The number within the principal's reach (always tenant-scoped for merchants). */
  count(principal: Principal): Promise<number>
  /** The page that lists what is counted, linked for those who may open it. */
  link?: { route: string; permission: string }
  /** `warn` when a non-zero count needs attention (an open item). */
  tone?: 'warn'
}

async function countModels(query: ModelQueryBuilderContract<LucidModel>) {
  const [row] = await query.count('* as total')
  return Number(row.$extras.total)
}

/** `count(*)` of a platform-wide table (no tenant column to scope by). */
async function countRows(query: DatabaseQueryBuilderContract) {
  const [row] = await query.count('* as total')
  return Number(row.total)
}

/**
 * The dashboard's count cards, in display order. A module adds its numbers (open objections,
 * overdue reviews ...) by appending a provider here; nothing else needs to change.
 */
export const COUNT_CARDS: CountCard[] = [
  {
    key: 'merchants',
    label: 'Active merchants',
    permission: 'dashboard:view',
    audience: 'platform',
    count: (principal) =>
      countModels(scopedQuery(principal, Merchant, { column: 'id' }).where('status', 'active')),
  },
  {
    key: 'users',
    label: 'Active users',
    permission: 'dashboard:view',
    audience: 'all',
    link: { route: 'access.users.index', permission: 'users:manage' },
    count: (principal) => countModels(scopedQuery(principal, User).whereNull('disabled_at')),
  },
  {
    key: 'staff_without_mfa',
    label: 'Staff without MFA',
    permission: 'users:manage',
    audience: 'platform',
    tone: 'warn',
    count: (principal) =>
      countModels(
        scopedQuery(principal, User)
          .where('kind', 'staff')
          .whereNull('disabled_at')
          .whereNull('mfa_enabled_at')
      ),
  },
  {
    key: 'active_tokens',
    label: 'Active API tokens',
    permission: 'dashboard:view',
    audience: 'all',
    count: (principal) =>
      countModels(
        scopedQuery(principal, ApiToken)
          .whereNull('revoked_at')
          .where((q) =>
            q.whereNull('expires_at').orWhere('expires_at', '>', DateTime.utc().toSQL())
          )
      ),
  },
  {
    key: 'denials_7d',
    label: 'Access denials (7 days)',
    permission: 'audit:read',
    audience: 'platform',
    tone: 'warn',
    count: (principal) =>
      countModels(
        scopedQuery(principal, AuditEvent)
          .where('action', 'access.denied')
          .where('occurred_at', '>', DateTime.utc().minus({ days: 7 }).toSQL())
      ),
  },
  {
    key: 'subprocessors_effective',
    label: 'Subprocessors in use',
    permission: 'vendors:read',
    audience: 'platform',
    link: { route: 'vendors.subprocessors.index', permission: 'vendors:read' },
    count: () => countRows(db.from('subprocessors').where('status', 'effective')),
  },
  {
    key: 'objections_open',
    label: 'Open subprocessor objections',
    permission: 'vendors:read',
    audience: 'platform',
    tone: 'warn',
    link: { route: 'vendors.objections.index', permission: 'vendors:read' },
    count: () => countRows(db.from('subprocessor_objections').where('status', 'open')),
  },
  {
    key: 'my_objections_open',
    label: 'Your open objections',
    permission: 'notices:read',
    audience: 'merchant',
    link: { route: 'portal.subprocessors.index', permission: 'notices:read' },
    count: (principal) => countModels(scopedQuery(principal, Objection).where('status', 'open')),
  },
  {
    // Kept by the `vendors.flag_due_tias` job
    key: 'tias_due',
    label: 'TIAs overdue or due in 30 days',
    permission: 'tia:read',
    audience: 'platform',
    tone: 'warn',
    link: { route: 'vendors.tias.index', permission: 'tia:read' },
    count: () =>
      countRows(
        db
          .from('transfer_impact_assessments')
          .where('status', 'approved')
          .whereIn('due_state', ['due_soon', 'overdue'])
      ),
  },
]

function reaches(principal: Principal, audience: Audience) {
  if (audience === 'all') return true
  return (principal.domain === PLATFORM_DOMAIN) === (audience === 'platform')
}

/** The cards this principal may see, with their numbers. */
export async function dashboardCards(principal: Principal) {
  const cards = []
  for (const card of COUNT_CARDS) {
    if (!reaches(principal, card.audience)) continue
    if (!(await authorization.can(principal, card.permission))) continue
    const linked = card.link && (await authorization.can(principal, card.link.permission))
    cards.push({
      key: card.key,
      label: card.label,
      value: await card.count(principal),
      route: linked ? card.link!.route : null,
      tone: card.tone,
    })
  }
  return cards
}

/** Active users per role in the principal's reach (staff: every domain), for the chart. */
export async function usersByRole(principal: Principal) {
  const rows = await db
    .from('casbin_rules')
    .joinRaw(`JOIN users ON casbin_rules.v0 = 'user:' || users.id`)
    .where('casbin_rules.ptype', 'g')
    .whereNull('users.disabled_at')
    .if(principal.domain !== PLATFORM_DOMAIN, (q) => q.where('casbin_rules.v2', principal.domain))
    .groupBy('casbin_rules.v1')
    .orderBy('casbin_rules.v1')
    .select('casbin_rules.v1 as role')
    .count('* as total')
  return rows.map((row) => ({ role: String(row.role), users: Number(row.total) }))
}
