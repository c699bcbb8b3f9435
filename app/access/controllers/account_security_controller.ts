import type { HttpContext } from '@adonisjs/core/http'
import type User from '#access/models/user'
import mfa from '#access/services/mfa'
import { signedInUser } from '#access/services/principal_resolver'
import { changePasswordValidator, secondFactorValidator } from '#access/validators/session'
import { changePassword } from '#access/services/passwords'
import signIn, { LoginLockedOut } from '#access/services/sign_in'
import userSessions, { type SessionEndReason } from '#access/services/user_sessions'
import { Forbidden } from '#core/errors'
import { translatedMessage } from '#i18n/errors'

async function currentUser(ctx: HttpContext) {
  const user = await signedInUser(ctx)
  if (!user) throw new Forbidden('Only a signed-in person can manage their own account security.')
  return user
}

/** The signed-in user's own MFA: status, fresh recovery codes, and (merchant users) opting out. */
export default class AccountSecurityController {
  async show(ctx: HttpContext) {
    const user = await currentUser(ctx)
    return ctx.view.render('pages/access/account_security', {
      user,
      mfaMandatory: await mfa.isMandatoryFor(user),
      remainingCodes: user.mfaEnabled ? await mfa.remainingRecoveryCodes(user) : 0,
    })
  }

  async regenerateCodes(ctx: HttpContext) {
    const user = await currentUser(ctx)
    const confirmed = await this.confirmedWithCode(ctx, user)
    if (confirmed !== true) return this.badCode(ctx, 'regenerate', confirmed || undefined)
    const codes = await mfa.regenerateRecoveryCodes(user)
    await this.endOtherSessions(ctx, user, 'mfa_changed')
    ctx.response.header('cache-control', 'no-store')
    return ctx.view.render('pages/access/recovery_codes', { codes })
  }

  async disable(ctx: HttpContext) {
    const user = await currentUser(ctx)
    const confirmed = await this.confirmedWithCode(ctx, user)
    if (confirmed !== true) return this.badCode(ctx, 'disable', confirmed || undefined)
    await mfa.disable(user, user.id)
    await this.endOtherSessions(ctx, user, 'mfa_changed')
    ctx.session.flash('success', ctx.i18n.t('access.flash.mfa_off'))
    return ctx.response.redirect().toRoute('access.account.security')
  }

  async password(ctx: HttpContext) {
    const user = await currentUser(ctx)
    const { currentPassword, newPassword } =
      await ctx.request.validateUsing(changePasswordValidator)
    try {
      await changePassword(user, currentPassword, newPassword)
    } catch (error) {
      if (!(error instanceof LoginLockedOut)) throw error
      ctx.response.header('retry-after', String(error.retryAfterSeconds))
      ctx.session.flash('errors', { currentPassword: translatedMessage(ctx.i18n, error) })
      return ctx.response.redirect().toRoute('access.account.security')
    }
    // New credentials: every other session ends, this one carries on under a new id
    await this.endOtherSessions(ctx, user, 'password_changed')
    ctx.session.flash('success', ctx.i18n.t('access.flash.password_changed'))
    return ctx.response.redirect().toRoute('access.account.security')
  }

  /**
   * Changing MFA needs a current code, so a walked-away-from session cannot do it. Wrong codes
   * are limited per user; after a lockout the answer is the lockout message.
   */
  private async confirmedWithCode(ctx: HttpContext, user: User) {
    const { code } = await ctx.request.validateUsing(secondFactorValidator)
    const secret = user.mfaSecret
    try {
      return await signIn.reauthenticate(
        user,
        async () => secret !== null && mfa.verifyTotp(user, secret, code)
      )
    } catch (error) {
      if (!(error instanceof LoginLockedOut)) throw error
      ctx.response.header('retry-after', String(error.retryAfterSeconds))
      return error
    }
  }

  private badCode(
    { session, response, i18n }: HttpContext,
    form: 'regenerate' | 'disable',
    lockedOut?: LoginLockedOut
  ) {
    const message = lockedOut ? translatedMessage(i18n, lockedOut) : i18n.t('access.code_invalid')
    session.flash('errors', { [`${form}Code`]: message })
    return response.redirect().toRoute('access.account.security')
  }

  private endOtherSessions(ctx: HttpContext, user: User, reason: SessionEndReason) {
    return userSessions.endAll(user.id, reason, { keep: ctx, merchantId: user.merchantId })
  }
}
