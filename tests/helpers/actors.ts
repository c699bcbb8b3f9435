/*
 * The people and credentials tests act as. Every actor is unique per call, so tests never
 * collide on e-mails or slugs; staff always have MFA set up (`user.mfaSecret` is the secret).
 */
import { DateTime } from 'luxon'
import Merchant from '#merchants/models/merchant'
import User from '#access/models/user'
import ApiToken from '#access/models/api_token'
import apiTokens from '#access/services/api_tokens'
import mfa from '#access/services/mfa'
import { assignRole } from '#access/services/authorization'
import type { MerchantRole, StaffRole } from '#access/roles'

export const TEST_PASSWORD = 'Correct-Horse-Battery-9'

let sequence = 0
function unique() {
  sequence += 1
  return `${Date.now().toString(36)}${sequence}`
}

export function createMerchant(slug?: string) {
  const id = unique()
  return Merchant.create({
    slug: slug ?? `merchant-${id}`,
    legalName: `Test Merchant ${id} LLC`,
    countryCode: 'EG',
    status: 'active',
  })
}

export async function staffUser(role: StaffRole) {
  const user = await User.create({
    kind: 'staff',
    merchantId: null,
    email: `${role}-${unique()}@staff.test`,
    fullName: `Test ${role}`,
    password: TEST_PASSWORD,
    mfaSecret: mfa.newSecret(),
    mfaEnabledAt: DateTime.now(),
  })
  await assignRole(user.id, role, user.domain)
  return user
}

/** A merchant user; pass `withMfa` to have them enrolled (merchant users opt in). */
export async function merchantUser(
  merchant: Merchant,
  role: MerchantRole,
  options: { withMfa?: boolean } = {}
) {
  const user = await User.create({
    kind: 'merchant',
    merchantId: merchant.id,
    email: `${role}-${unique()}@merchant.test`,
    fullName: `Test ${role}`,
    password: TEST_PASSWORD,
    mfaSecret: options.withMfa ? mfa.newSecret() : null,
    mfaEnabledAt: options.withMfa ? DateTime.now() : null,
  })
  await assignRole(user.id, role, merchant.domain)
  return user
}

/**
 * A plaintext bearer token for `merchant`. `expiresAt` may lie in the past (an expired token),
 * which the service itself refuses to create, so it is back-dated after creation.
 */
export async function bearerToken(
  merchant: Merchant,
  options: { scopes: string[]; expiresAt?: DateTime | null; name?: string }
) {
  const past = options.expiresAt && options.expiresAt <= DateTime.now()
  const { token, plaintext } = await apiTokens.create({
    merchant,
    name: options.name ?? `test token ${unique()}`,
    scopes: options.scopes,
    expiresAt: past ? null : (options.expiresAt ?? DateTime.now().plus({ days: 30 })),
    createdBy: null,
    actor: { type: 'system' },
  })
  if (past)
    await ApiToken.query()
      .where('id', token.id)
      .update({ expires_at: options.expiresAt!.toJSDate() })
  return plaintext
}
