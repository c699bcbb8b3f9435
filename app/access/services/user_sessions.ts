import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import { SessionCollection } from '@adonisjs/session'
import auditTrail, { type AuditActor } from '#audit/services/audit_trail'

/** Why a user's sessions were ended, as recorded in the audit trail. */
export type SessionEndReason =
  | 'logout'
  | 'password_changed'
  | 'mfa_changed'
  | 'user_disabled'
  | 'merchant_terminated'

/**
 * Every console session is tagged with its user's id in the session store (Redis), which keeps
 * a per-user index of session ids. Ending a user's sessions deletes each of them server-side,
 * so a copied cookie opens nothing afterwards.
 */
export class UserSessions {
  private collection() {
    return app.container.make(SessionCollection)
  }

  /** Adds the request's (current, possibly just regenerated) session to the user's index. */
  async track(ctx: HttpContext, userId: number) {
    await ctx.session.tag(String(userId))
  }

  /**
   * Ends all of a user's sessions. With `keep`, that request's own session carries on under a
   * fresh id (a user who changes their password stays signed in, everywhere else is signed out).
   */
  async endAll(
    userId: number,
    reason: SessionEndReason,
    options: { keep?: HttpContext; actor?: AuditActor; merchantId?: number | null } = {}
  ) {
    const collection = await this.collection()
    const sessions = await collection.tagged(String(userId))
    await Promise.all(sessions.map((session) => collection.destroy(session.id)))
    if (options.keep) {
      options.keep.session.regenerate()
      await this.track(options.keep, userId)
    }
    await auditTrail.record({
      action: 'auth.sessions_ended',
      actor: options.actor ?? { type: 'user', id: userId },
      merchantId: options.merchantId ?? null,
      target: { type: 'user', id: userId },
      meta: { reason, sessions: sessions.length, kept: Boolean(options.keep) },
    })
    return sessions.length
  }
}

export default new UserSessions()
