import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { DateTime } from 'luxon'
import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import ApiToken, { type TokenStatus } from '#access/models/api_token'
import Merchant from '#merchants/models/merchant'
import { saveAudited } from '#audit/services/audited_write'
import type { AuditActor } from '#audit/services/audit_trail'
import { ROLE_PERMISSIONS } from '#access/roles'
import { DomainError, FieldInvalid, NotFound } from '#core/errors'

/** A token this close to expiry is flagged on the dashboard and listed as "expiring". */
export const TOKEN_EXPIRY_WARNING_DAYS = 14

/** The list filter's choices: a token's own status, or still active but expiring soon. */
export const TOKEN_LIST_STATUSES = ['active', 'expiring', 'revoked', 'expired'] as const
export type TokenListStatus = TokenStatus | 'expiring'

/** Still usable, but expiring within the warning window. */
export function expiringTokens<Q extends ModelQueryBuilderContract<LucidModel>>(query: Q): Q {
  const now = DateTime.utc()
  return query
    .whereNull('revoked_at')
    .where('expires_at', '>', now.toJSDate())
    .where('expires_at', '<=', now.plus({ days: TOKEN_EXPIRY_WARNING_DAYS }).toJSDate())
}

const TOKEN_PREFIX = 'cvh'
/** Don't write `last_used_at` on every call: a busy integration would turn reads into writes. */
const LAST_USED_GRANULARITY_SECONDS = 60

/** Scopes a token may carry: the permissions of `merchant_api`, the role every token acts as. */
export function grantableScopes() {
  return [...ROLE_PERMISSIONS.merchant_api].sort()
}

function digest(secret: string) {
  return createHash('sha256').update(secret).digest('hex')
}

export function invalidToken() {
  return new DomainError(
    'invalid_token',
    'The access token is missing, wrong, expired or revoked.',
    {
      status: 401,
    }
  )
}

export interface NewToken {
  merchant: Merchant
  name: string
  scopes: string[]
  expiresAt: DateTime | null
  createdBy: number | null
  actor: AuditActor
}

/** Creates, authenticates and revokes merchant API tokens (`cvh_<public id>_<secret>`). */
export class ApiTokens {
  async create(input: NewToken) {
    const allowed = grantableScopes()
    const unknown = input.scopes.filter((scope) => !allowed.includes(scope))
    if (unknown.length) {
      throw new FieldInvalid(
        'scopes',
        `Unknown or not grantable scopes: ${unknown.join(', ')}`,
        'access_token_unknown_scopes'
      )
    }
    if (input.scopes.length === 0) {
      throw new FieldInvalid('scopes', 'Choose at least one scope.', 'access_token_scopes_required')
    }
    if (input.expiresAt && input.expiresAt <= DateTime.now()) {
      throw new FieldInvalid(
        'expires_at',
        'The expiry must be in the future.',
        'access_token_expiry_past'
      )
    }

    const publicId = randomBytes(9).toString('base64url')
    const secret = randomBytes(32).toString('base64url')
    const token = new ApiToken().merge({
      merchantId: input.merchant.id,
      createdBy: input.createdBy,
      publicId,
      secretHash: digest(secret),
      name: input.name,
      scopes: [...new Set(input.scopes)].sort(),
      expiresAt: input.expiresAt,
    })
    await saveAudited(token, {
      action: 'token.created',
      actor: input.actor,
      merchantId: input.merchant.id,
      targetType: 'api_token',
      meta: { scopes: token.scopes, expiresAt: token.expiresAt?.toUTC().toISO() ?? null },
    })
    return { token, plaintext: `${TOKEN_PREFIX}_${publicId}_${secret}` }
  }

  /** The active token this bearer value names, or an `invalid_token` (401) error. */
  async authenticate(bearer: string) {
    const match = /^cvh_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/.exec(bearer)
    if (!match) throw invalidToken()
    const token = await ApiToken.findBy('publicId', match[1])
    if (!token) throw invalidToken()
    const presented = Buffer.from(digest(match[2]), 'hex')
    if (!timingSafeEqual(presented, Buffer.from(token.secretHash, 'hex'))) throw invalidToken()
    if (token.status !== 'active') throw invalidToken()

    const merchant = await Merchant.find(token.merchantId)
    if (!merchant || !merchant.isServed) throw invalidToken()

    const now = DateTime.now()
    if (
      !token.lastUsedAt ||
      now.diff(token.lastUsedAt, 'seconds').seconds > LAST_USED_GRANULARITY_SECONDS
    ) {
      await ApiToken.query().where('id', token.id).update({ last_used_at: now.toJSDate() })
      token.lastUsedAt = now
    }
    return token
  }

  /** Revokes a token of `merchantId`; a token of another merchant is reported as not found. */
  async revoke(merchantId: number, tokenId: number, actor: AuditActor) {
    const token = await ApiToken.query()
      .where('merchantId', merchantId)
      .where('id', tokenId)
      .first()
    if (!token) throw new NotFound('token')
    if (token.revokedAt) return token
    await this.markRevoked(token, actor)
    return token
  }

  private async markRevoked(token: ApiToken, actor: AuditActor, meta?: Record<string, unknown>) {
    token.revokedAt = DateTime.now()
    token.revokedBy = actor.type === 'user' && actor.id ? Number(actor.id) : null
    await saveAudited(token, {
      action: 'token.revoked',
      actor,
      merchantId: token.merchantId,
      targetType: 'api_token',
      meta,
    })
  }

  /**
   * Offboarding: revokes every still-active token a user created (they were disabled, or lost
   * the merchant-admin role that let them mint tokens). Returns how many were revoked.
   */
  async revokeCreatedBy(userId: number, actor: AuditActor, reason: string) {
    const tokens = await ApiToken.query().where('createdBy', userId).whereNull('revokedAt')
    for (const token of tokens) await this.markRevoked(token, actor, { reason, createdBy: userId })
    return tokens.length
  }

  /** A merchant's tokens, newest first, optionally only those in one status (or expiring soon). */
  listFor(merchantId: number, status?: TokenListStatus) {
    const now = new Date()
    return ApiToken.query()
      .where('merchantId', merchantId)
      .if(status === 'expiring', (query) => expiringTokens(query))
      .if(status === 'active', (query) =>
        query
          .whereNull('revokedAt')
          .where((q) => q.whereNull('expiresAt').orWhere('expiresAt', '>', now))
      )
      .if(status === 'revoked', (query) => query.whereNotNull('revokedAt'))
      .if(status === 'expired', (query) =>
        query.whereNull('revokedAt').where('expiresAt', '<=', now)
      )
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
  }
}

export default new ApiTokens()
