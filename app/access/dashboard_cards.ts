import { DateTime } from 'luxon'
import User from '#access/models/user'
import ApiToken from '#access/models/api_token'
import AuditEvent from '#audit/models/audit_event'
import Merchant from '#merchants/models/merchant'
import { TOKEN_EXPIRY_WARNING_DAYS, expiringTokens } from '#access/services/api_tokens'
import { scopedQuery } from '#access/services/tenant_scope'
import { countModels, type CountCard } from '#access/services/dashboard_card'

/** The UTC day a week ago: the audit trail's `from` filter counts from its midnight. */
const denialsFrom = () => DateTime.utc().startOf('day').minus({ days: 7 })

/** Access's dashboard numbers: merchants, users, MFA, tokens, denials. */
export const ACCESS_CARDS: CountCard[] = [
  {
    key: 'merchants',
    permission: 'dashboard:view',
    audience: 'platform',
    count: (principal) =>
      countModels(scopedQuery(principal, Merchant, { column: 'id' }).where('status', 'active')),
  },
  {
    key: 'users',
    permission: 'dashboard:view',
    audience: 'all',
    link: { route: 'access.users.index', permission: 'users:manage' },
    count: (principal) => countModels(scopedQuery(principal, User).whereNull('disabled_at')),
  },
  {
    key: 'staff_without_mfa',
    permission: 'users:manage',
    audience: 'platform',
    tone: 'warn',
    link: {
      route: 'access.users.index',
      permission: 'users:manage',
      query: () => ({ kind: 'staff', status: 'active', mfa: 'off' }),
    },
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
    permission: 'dashboard:view',
    audience: 'all',
    link: {
      route: 'access.tokens.index',
      permission: 'tokens:manage',
      query: () => ({ status: 'active' }),
    },
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
    key: 'expiring_tokens',
    labelValues: { days: TOKEN_EXPIRY_WARNING_DAYS },
    permission: 'users:manage',
    audience: 'all',
    tone: 'warn',
    link: {
      route: 'access.tokens.index',
      permission: 'tokens:manage',
      query: () => ({ status: 'expiring' }),
    },
    count: (principal) => countModels(expiringTokens(scopedQuery(principal, ApiToken))),
  },
  {
    // The first denial per principal, route and minute is an event; repeats are summarised
    key: 'denials_7d',
    permission: 'audit:read',
    audience: 'platform',
    tone: 'warn',
    link: {
      route: 'audit.index',
      permission: 'audit:read',
      query: () => ({ action: 'access.denied', from: denialsFrom().toISODate()! }),
    },
    count: (principal) =>
      countModels(
        scopedQuery(principal, AuditEvent)
          .where('action', 'access.denied')
          .where('occurred_at', '>=', denialsFrom().toJSDate())
      ),
  },
]
