import { defineFieldInventory } from '#data_map/inventory/definition'

/*
 * Field inventory of the access module (format: app/data_map/inventory/definition.ts).
 * users.email and users.full_name are sealed with `#keys` field encryption (text `e1.` values);
 * email_bidx is their platform-wide blind index.
 */
export default defineFieldInventory({
  module: 'access',
  tables: {
    users: {
      personal: {
        email: {
          category: 'merchant.user.account',
          identifiesSubject: true,
          encrypted: true,
          retention: 'merchant.user.account',
        },
        email_bidx: {
          category: 'merchant.user.account',
          identifiesSubject: true,
          encrypted: true,
          form: 'keyed_hash',
          retention: 'merchant.user.account',
        },
        full_name: {
          category: 'merchant.user.account',
          identifiesSubject: true,
          encrypted: true,
          retention: 'merchant.user.account',
        },
      },
      // password is a scrypt hash and mfa_secret a credential: secrets, not data about the person
      nonPersonal: [
        'id',
        'kind',
        'merchant_id',
        'password',
        'mfa_secret',
        'mfa_enabled_at',
        'last_login_at',
        'disabled_at',
        'terminated_at',
        'created_at',
        'updated_at',
      ],
      // The 90-day rule for staff and merchant accounts, counted from the account's end
      retention: {
        category: 'merchant.user.account',
        from: 'terminated_at',
        merchantColumn: 'merchant_id',
      },
    },
    // token_hash is the SHA-256 of a single-use secret, not data about the person
    user_invitations: {
      nonPersonal: [
        'id',
        'user_id',
        'token_hash',
        'expires_at',
        'accepted_at',
        'revoked_at',
        'created_by',
        'created_at',
      ],
    },
    mfa_recovery_codes: { nonPersonal: ['id', 'user_id', 'code_hash', 'used_at', 'created_at'] },
    api_tokens: {
      nonPersonal: [
        'id',
        'merchant_id',
        'created_by',
        'public_id',
        'secret_hash',
        'name',
        'scopes',
        'expires_at',
        'revoked_at',
        'revoked_by',
        'last_used_at',
        'created_at',
      ],
    },
    casbin_rules: { nonPersonal: ['id', 'ptype', 'v0', 'v1', 'v2', 'v3', 'v4', 'v5'] },
  },
})
