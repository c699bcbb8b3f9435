import type { HttpContext } from '@adonisjs/core/http'
import User from '#access/models/user'
import mfa from '#access/services/mfa'
import userSessions from '#access/services/user_sessions'
import signIn, { ENROL_SECRET_KEY, LoginLockedOut } from '#access/services/sign_in'
import { signedInUser } from '#access/services/principal_resolver'
import { secondFactorValidator } from '#access/validators/session'
import { translatedMessage } from '#i18n/errors'

/** Whoever may enrol now: a staff sign-in waiting for enrolment, or a signed-in user without MFA. */
async function enrolee(ctx: HttpContext): Promise<{ user: User; signingIn: boolean } | null> {
  const pending = await signIn.pendingUser(ctx, 'enrol')
  if (pending) return { user: pending, signingIn: true }
  const user = await signedInUser(ctx)
  return user && !user.mfaEnabled ? { user, signingIn: false } : null
}

export default class MfaController {
  async challenge(ctx: HttpContext) {
    if (!(await signIn.pendingUser(ctx, 'challenge'))) return this.restart(ctx)
    return ctx.view.render('pages/access/mfa_challenge')
  }

  async verify(ctx: HttpContext) {
    const { request, response, session, view } = ctx
    const user = await signIn.pendingUser(ctx, 'challenge')
    if (!user) return this.restart(ctx)
    const { code } = await request.validateUsing(secondFactorValidator)
    try {
      if (await signIn.withSecondFactor(ctx, user, code))
        return response.redirect().toRoute('dashboard')
    } catch (error) {
      if (!(error instanceof LoginLockedOut)) throw error
      response.header('retry-after', String(error.retryAfterSeconds)).status(429)
      return view.render('pages/access/login', { lockedOut: translatedMessage(ctx.i18n, error) })
    }
    session.flash('errors', { code: ctx.i18n.t('access.code_invalid') })
    return response.redirect().toRoute('access.mfa.challenge')
  }

  async enrol(ctx: HttpContext) {
    const who = await enrolee(ctx)
    if (!who) return this.restart(ctx)
    let secret = ctx.session.get(ENROL_SECRET_KEY) as string | undefined
    if (!secret) {
      secret = mfa.newSecret()
      ctx.session.put(ENROL_SECRET_KEY, secret)
    }
    const { qrDataUrl } = await mfa.provisioning(who.user, secret)
    ctx.response.header('cache-control', 'no-store')
    return ctx.view.render('pages/access/mfa_enrol', {
      qrDataUrl,
      secret,
      mandatory: who.signingIn,
    })
  }

  async confirm(ctx: HttpContext) {
    const { request, response, session, view } = ctx
    const who = await enrolee(ctx)
    const secret = session.get(ENROL_SECRET_KEY) as string | undefined
    if (!who || !secret) return this.restart(ctx)
    const { code } = await request.validateUsing(secondFactorValidator)
    const codes = await mfa.enrol(who.user, secret, code)
    session.forget(ENROL_SECRET_KEY)
    // A new second factor: sessions opened without it end (this one carries on)
    await userSessions.endAll(who.user.id, 'mfa_changed', {
      keep: ctx,
      merchantId: who.user.merchantId,
    })
    if (who.signingIn) await signIn.complete(ctx, who.user, 'enrolment')
    // Shown once, never stored in clear: the page must not be cached either
    response.header('cache-control', 'no-store')
    return view.render('pages/access/recovery_codes', { codes })
  }

  /** The sign-in it belongs to expired or never started: back to the password step. */
  private restart({ response, session, i18n }: HttpContext) {
    session.flash('loginError', i18n.t('access.sign_in_expired'))
    return response.redirect().toRoute('access.login.show')
  }
}
