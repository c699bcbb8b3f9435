import { DateTime } from 'luxon'
import User from '#access/models/user'
import ApiToken from '#access/models/api_token'
import AuditEvent from '#audit/models/audit_event'
import Merchant from '#merchants/models/merchant'
import { scopedQuery } from '#access/services/tenant_scope'
import { countModels, type CountCard } from '#access/services/dashboard_card'

/** Access's dashboard numbers: merchants, users, MFA, tokens, denials. */
export const ACCESS_CARDS: CountCard[] = [
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
]
