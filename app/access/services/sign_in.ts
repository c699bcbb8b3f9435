import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import hash from '@adonisjs/core/services/hash'
import limiter from '@adonisjs/limiter/services/main'
import User, { normalizeEmail } from '#access/models/user'
import mfa from '#access/services/mfa'
import userSessions from '#access/services/user_sessions'
import {
  MFA_DONE_KEY,
  PENDING_KEY,
  mfaPending,
  type MfaStage,
  type PendingSignIn,
} from '#access/services/principal_resolver'
import auditTrail from '#audit/services/audit_trail'
import { auditedWrite } from '#audit/services/audited_write'
import auditAggregates from '#audit/services/audit_aggregates'
import { DomainError } from '#core/errors'

/** 5 failed passwords per e-mail and address in 15 minutes, then a 15 minute lock. */
const perAccountAddress = () =>
  limiter.use({ requests: 5, duration: '15 mins', blockDuration: '15 mins' })
/** Any addresses together: guessing one account from many addresses (or faked ones) stops too. */
const perAccount = () =>
  limiter.use({ requests: 10, duration: '15 mins', blockDuration: '15 mins' })
/** Credential stuffing from one address across many e-mails. */
const perAddress = () =>
  limiter.use({ requests: 50, duration: '15 mins', blockDuration: '15 mins' })
/** A signed-in user re-proving who they are (account security): a stolen session can't guess. */
const perReauthUser = () =>
  limiter.use({ requests: 5, duration: '15 mins', blockDuration: '15 mins' })
/** Guessing 6-digit codes after a stolen password. */
const perMfaUser = () => limiter.use({ requests: 5, duration: '15 mins', blockDuration: '15 mins' })

export const ENROL_SECRET_KEY = 'access.enrol_secret'

export class LoginLockedOut extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
    super(
      'login_locked_out',
      `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { status: 429, details: [{ retryAfterSeconds, retryAfterMinutes: minutes }] }
    )
  }
}

export class InvalidCredentials extends DomainError {
  constructor() {
    super('invalid_credentials', 'The e-mail or password is wrong.', { status: 400 })
  }
}

/** Limiter keys never hold the e-mail itself: Redis is not a place for personal data. */
function accountDigest(email: string) {
  return createHash('sha256').update(normalizeEmail(email)).digest('hex').slice(0, 32)
}

type Limit = ReturnType<typeof perAccount>
type LimitScope = 'address' | 'account_address' | 'account' | 'mfa' | 'reauthentication'

let dummyHash: Promise<string> | undefined
/** Verifying against a throwaway hash keeps unknown e-mails as slow as wrong passwords. */
function timingDecoy() {
  dummyHash ??= hash.make('timing-decoy-password')
  return dummyHash
}

export type SignInStep = 'signed_in' | MfaStage

/**
 * The sign-in state machine: password (rate-limited) -> MFA challenge or enrolment -> signed in.
 * The auth guard only learns about the user once every required factor is done.
 */
export class SignIn {
  async withPassword(ctx: HttpContext, email: string, password: string): Promise<SignInStep> {
    const ip = ctx.request.ip()
    const account = accountDigest(email)
    const limits: [Limit, string, LimitScope][] = [
      [perAddress(), `login-ip:${ip}`, 'address'],
      [perAccountAddress(), `login:${account}:${ip}`, 'account_address'],
      [perAccount(), `login-account:${account}`, 'account'],
    ]
    for (const [limit, limitKey] of limits) {
      if (await limit.isBlocked(limitKey)) {
        throw new LoginLockedOut(await limit.availableIn(limitKey))
      }
    }

    const user = await User.findByEmail(email)
    const passwordOk = user?.password
      ? await hash.verify(user.password, password)
      : (await hash.verify(await timingDecoy(), password), false)

    if (!user || !passwordOk || user.disabledAt) {
      // Aggregated per attempted account and address (the limiter's key, which holds no e-mail)
      await auditAggregates.note(
        {
          action: 'auth.login_failed',
          outcome: 'failure',
          actor: user ? { type: 'user', id: user.id } : { type: 'anonymous' },
          merchantId: user?.merchantId ?? null,
          meta: {
            reason: !user
              ? 'unknown_account'
              : user.disabledAt
                ? 'disabled'
                : user.password
                  ? 'bad_password'
                  : 'invitation_pending',
          },
        },
        [limits[1][1]]
      )
      let lockedOut: LoginLockedOut | undefined
      for (const [limit, limitKey, scope] of limits) {
        const locked = await this.penalize(limit, limitKey, user, scope)
        lockedOut ??= locked
      }
      throw lockedOut ?? new InvalidCredentials()
    }

    await Promise.all(limits.slice(1).map(([limit, limitKey]) => limit.delete(limitKey)))
    if (!(await mfa.isRequiredFor(user))) {
      await this.complete(ctx, user, 'password')
      return 'signed_in'
    }
    const stage: MfaStage = user.mfaEnabled ? 'challenge' : 'enrol'
    await this.awaitSecondFactor(ctx, user, stage)
    return stage
  }

  /** A person who just set their password through an invitation goes on to enrol MFA. */
  invitationAccepted(ctx: HttpContext, user: User) {
    return this.awaitSecondFactor(ctx, user, 'enrol')
  }

  private async awaitSecondFactor(ctx: HttpContext, user: User, stage: MfaStage) {
    // A fresh session id as soon as the password is accepted: no fixation into the MFA step
    ctx.session.regenerate()
    await userSessions.track(ctx, user.id)
    ctx.session.put(PENDING_KEY, { userId: user.id, stage, at: Date.now() } satisfies PendingSignIn)
  }

  /** Counts a failure; the one that reaches the limit locks the key, is audited and returned. */
  private async penalize(limit: Limit, key: string, user: User | null, scope: LimitScope) {
    const { consumed, limit: allowed } = await limit.increment(key)
    if (consumed < allowed) return undefined
    await limit.block(key, limit.blockDuration)
    const retryAfter = await limit.availableIn(key)
    await auditTrail.record({
      action: 'auth.locked_out',
      outcome: 'failure',
      actor: user ? { type: 'user', id: user.id } : { type: 'anonymous' },
      merchantId: user?.merchantId ?? null,
      meta: { scope, retryAfter },
    })
    return new LoginLockedOut(retryAfter)
  }

  /**
   * A signed-in user confirms a sensitive change with their password or a current code.
   * Wrong answers count against the user (not the address): five lock these checks for 15
   * minutes, so a hijacked session cannot guess its way to a new password or off MFA.
   */
  async reauthenticate(user: User, check: () => Promise<boolean>) {
    const limit = perReauthUser()
    const key = `reauth:${user.id}`
    if (await limit.isBlocked(key)) throw new LoginLockedOut(await limit.availableIn(key))
    if (await check()) {
      await limit.delete(key)
      return true
    }
    const lockedOut = await this.penalize(limit, key, user, 'reauthentication')
    if (lockedOut) throw lockedOut
    return false
  }

  /** The user whose sign-in is waiting for `stage`, or null when there is none. */
  async pendingUser(ctx: HttpContext, stage: MfaStage) {
    const pending = mfaPending(ctx)
    if (!pending || pending.stage !== stage) return null
    const user = await User.find(pending.userId)
    return user && !user.disabledAt ? user : null
  }

  /** Second factor: a TOTP code or, failing that, a recovery code. */
  async withSecondFactor(ctx: HttpContext, user: User, code: string) {
    const limit = perMfaUser()
    const key = `mfa:${user.id}`
    if (await limit.isBlocked(key)) {
      ctx.session.forget(PENDING_KEY)
      throw new LoginLockedOut(await limit.availableIn(key))
    }
    const compact = code.replace(/\s+/g, '')
    let method: 'totp' | 'recovery_code' | null = null
    if (/^\d{6}$/.test(compact)) {
      if (user.mfaSecret && (await mfa.verifyTotp(user, user.mfaSecret, compact))) method = 'totp'
    } else if (await mfa.useRecoveryCode(user, code)) {
      method = 'recovery_code'
    }

    if (!method) {
      await auditAggregates.note(
        {
          action: 'auth.login_failed',
          outcome: 'failure',
          actor: { type: 'user', id: user.id },
          merchantId: user.merchantId,
          meta: { reason: 'bad_second_factor' },
        },
        [key]
      )
      const lockedOut = await this.penalize(limit, key, user, 'mfa')
      if (lockedOut) {
        ctx.session.forget(PENDING_KEY)
        throw lockedOut
      }
      return false
    }
    await limit.delete(key)
    await this.complete(ctx, user, method)
    return true
  }

  /** Every required factor is done: hand the user to the auth guard (which rotates the session). */
  async complete(
    ctx: HttpContext,
    user: User,
    method: 'password' | 'totp' | 'recovery_code' | 'enrolment'
  ) {
    ctx.session.forget(PENDING_KEY)
    ctx.session.forget(ENROL_SECRET_KEY)
    await ctx.auth.use('web').login(user)
    await userSessions.track(ctx, user.id)
    // Only a second factor marks the session as MFA-complete (a role needing MFA may come later)
    if (method !== 'password') ctx.session.put(MFA_DONE_KEY, user.id)
    user.lastLoginAt = DateTime.now()
    await auditedWrite(
      async (trx) => {
        user.useTransaction(trx)
        await user.save()
      },
      {
        action: 'auth.login',
        actor: { type: 'user', id: user.id },
        merchantId: user.merchantId,
        meta: { method },
      }
    )
  }

  async signOut(ctx: HttpContext) {
    const guard = ctx.auth.use('web')
    const user = (await guard.check()) ? (guard.user as User) : null
    if (user) {
      await auditTrail.record({
        action: 'auth.logout',
        actor: { type: 'user', id: user.id },
        merchantId: user.merchantId,
      })
      await guard.logout()
      // Signing out here signs out everywhere: every session of this user ends server-side
      await userSessions.endAll(user.id, 'logout', { merchantId: user.merchantId })
    }
    ctx.session.clear()
    ctx.session.regenerate()
  }
}

export default new SignIn()
