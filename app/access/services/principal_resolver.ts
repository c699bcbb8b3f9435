import type { HttpContext } from '@adonisjs/core/http'
import type { Principal } from '#access/principal'
import User from '#access/models/user'
import Merchant from '#merchants/models/merchant'
import apiTokens, { invalidToken } from '#access/services/api_tokens'
import { rolesOf } from '#access/services/authorization'
import mfa from '#access/services/mfa'

/** Session keys of the sign-in state machine: password accepted -> MFA -> signed in. */
export const PENDING_KEY = 'access.pending'
export const MFA_DONE_KEY = 'access.mfa_user'
/** A half-finished sign-in (password accepted, MFA not yet) expires after this long. */
const PENDING_TTL_MS = 10 * 60 * 1000

export type MfaStage = 'challenge' | 'enrol'
export interface PendingSignIn {
  userId: number
  stage: MfaStage
  at: number
}

const resolved = new WeakMap<HttpContext, Promise<Principal | null>>()

/**
 * The password was accepted but MFA is not done yet: `challenge` (enter a TOTP or recovery
 * code) or `enrol` (staff without MFA must enrol first). Null when no sign-in is in progress.
 */
export function mfaPending(ctx: HttpContext): PendingSignIn | null {
  const pending = ctx.session.get(PENDING_KEY) as PendingSignIn | undefined
  if (!pending) return null
  if (Date.now() - pending.at > PENDING_TTL_MS) {
    ctx.session.forget(PENDING_KEY)
    return null
  }
  return pending
}

function bearerOf(ctx: HttpContext) {
  const header = ctx.request.header('authorization')
  if (!header) return null
  const [scheme, value] = header.trim().split(/\s+/, 2)
  if (scheme.toLowerCase() !== 'bearer') return null
  if (!value) throw invalidToken()
  return value
}

async function fromToken(bearer: string): Promise<Principal> {
  const token = await apiTokens.authenticate(bearer)
  return {
    kind: 'token',
    userId: token.createdBy ?? 0,
    tokenId: token.id,
    merchantId: token.merchantId,
    domain: `merchant:${token.merchantId}`,
    roles: ['merchant_api'],
    scopes: token.scopes,
    label: token.name,
  }
}

async function fromSession(ctx: HttpContext): Promise<Principal | null> {
  const guard = ctx.auth.use('web')
  if (!(await guard.check())) return null
  const user = guard.user as User
  if (user.disabledAt) return null
  const merchant = user.merchantId ? await Merchant.find(user.merchantId) : null
  if (user.merchantId && !merchant?.isServed) return null
  const roles = await rolesOf(user.id, user.domain)
  // Staff, merchant admins and enrolled users must have passed MFA in this very session
  if (ctx.session.get(MFA_DONE_KEY) !== user.id && (await mfa.isRequiredFor(user, roles))) {
    return null
  }
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

/**
 * Who is calling: a bearer token (`Authorization: Bearer cvh_...`) wins over the session. A
 * wrong, expired or revoked token throws `invalid_token` (401) rather than falling back to the
 * session, so an API client never silently acts as someone else. Resolved once per request.
 */
export function resolvePrincipal(ctx: HttpContext): Promise<Principal | null> {
  let principal = resolved.get(ctx)
  if (!principal) {
    principal = (async () => {
      const bearer = bearerOf(ctx)
      return bearer ? fromToken(bearer) : fromSession(ctx)
    })()
    resolved.set(ctx, principal)
  }
  return principal
}

/** The signed-in person behind the request (not a token), loaded fresh; null otherwise. */
export async function signedInUser(ctx: HttpContext) {
  const principal = await resolvePrincipal(ctx)
  if (principal?.kind !== 'user') return null
  return User.find(principal.userId)
}
