/*
 * The one table of what each role may do. Permissions are `<resource>:<action>`. Casbin stores
 * these as domain-`*` rules (written once for every tenant); merchants only get role
 * assignments. Add a module's permissions here and to every role that needs them.
 */
export const STAFF_ROLES = ['admin', 'dpo', 'privacy_analyst', 'legal_counsel', 'auditor'] as const
export const MERCHANT_ROLES = ['merchant_admin', 'merchant_agent'] as const
/** Roles held by machine principals: API tokens act as `merchant_api` within their scopes. */
export const SERVICE_ROLES = ['merchant_api', 'webhook_service', 'worker_service'] as const

/** Merchant roles that can mint year-long API tokens or manage users: MFA is mandatory, as for staff. */
export const MFA_MANDATORY_ROLES = ['merchant_admin'] as const

export type StaffRole = (typeof STAFF_ROLES)[number]
export type MerchantRole = (typeof MERCHANT_ROLES)[number]
export type Role = StaffRole | MerchantRole | (typeof SERVICE_ROLES)[number]

export const ROLE_PERMISSIONS: Record<Role, string[]> = {
  admin: [
    'dashboard:view',
    'account:manage',
    'health:read',
    'users:manage',
    'users:read',
    'roles:manage',
    'audit:read',
    'reports:read',
    'reports:verify',
    'vendors:read',
    'scc:read',
    'tia:read',
    'merchant:read',
    'datamap:read',
    'ropa:read',
  ],
  dpo: [
    'dashboard:view',
    'account:manage',
    'audit:read',
    'users:read',
    'reports:read',
    'reports:generate',
    'reports:verify',
    'access_review:read',
    'vendors:read',
    'vendors:write',
    'objections:resolve',
    'scc:read',
    'scc:write',
    'tia:read',
    'tia:write',
    'merchant:read',
    'datamap:read',
    'datamap:write',
    'ropa:read',
    'keys:read',
    'keys:rotate',
  ],
  privacy_analyst: [
    'dashboard:view',
    'account:manage',
    'reports:verify',
    'vendors:read',
    'vendors:write',
    'scc:read',
    'tia:read',
    'tia:write',
    'datamap:read',
    'datamap:write',
    'ropa:read',
  ],
  legal_counsel: [
    'dashboard:view',
    'account:manage',
    'reports:verify',
    'vendors:read',
    'objections:resolve',
    'scc:read',
    'scc:write',
    'tia:read',
    'datamap:read',
    'ropa:read',
  ],
  auditor: [
    'dashboard:view',
    'account:manage',
    'audit:read',
    'users:read',
    'audit:verify',
    'reports:read',
    'reports:generate',
    'access_review:read',
    'reports:verify',
    'vendors:read',
    'scc:read',
    'tia:read',
    'merchant:read',
    'datamap:read',
    'ropa:read',
    'keys:read',
  ],
  merchant_admin: [
    'dashboard:view',
    'account:manage',
    'tokens:manage',
    'reports:verify',
    'merchant:read',
    'notices:read',
    'objections:create',
    'users:manage',
    'roles:manage',
    'ropa:read',
    'retention:manage',
    'merchant:profile',
    'controller_details:read',
  ],
  merchant_agent: ['dashboard:view', 'account:manage', 'merchant:read', 'controller_details:read'],
  merchant_api: [
    'merchant:read',
    'notices:read',
    'objections:create',
    'ropa:read',
    'reports:verify',
    'retention:manage',
  ],
  webhook_service: [],
  worker_service: [],
}
