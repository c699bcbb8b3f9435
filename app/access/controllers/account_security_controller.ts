import type { HttpContext } from '@adonisjs/core/http'
import type User from '#access/models/user'
import mfa from '#access/services/mfa'
import { signedInUser } from '#access/services/principal_resolver'
import { changePasswordValidator, secondFactorValidator } from '#access/validators/session'
import { changePassword } from '#access/services/passwords'
import { Forbidden } from '#core/errors'

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
      remainingCodes: user.mfaEnabled ? await mfa.remainingRecoveryCodes(user) : 0,
    })
  }

  async regenerateCodes(ctx: HttpContext) {
    const user = await currentUser(ctx)
    if (!(await this.confirmedWithCode(ctx, user))) return this.badCode(ctx, 'regenerate')
    const codes = await mfa.regenerateRecoveryCodes(user)
    ctx.response.header('cache-control', 'no-store')
    return ctx.view.render('pages/access/recovery_codes', { codes })
  }

  async disable(ctx: HttpContext) {
    const user = await currentUser(ctx)
    if (user.kind === 'staff') throw new Forbidden('MFA is mandatory for staff accounts.')
    if (!(await this.confirmedWithCode(ctx, user))) return this.badCode(ctx, 'disable')
    await mfa.disable(user, user.id)
    ctx.session.flash('success', 'Two-factor authentication is off.')
    return ctx.response.redirect().toRoute('access.account.security')
  }

  async password(ctx: HttpContext) {
    const user = await currentUser(ctx)
    const { currentPassword, newPassword } =
      await ctx.request.validateUsing(changePasswordValidator)
    await changePassword(user, currentPassword, newPassword)
    // New credentials, new session id; the sign-in itself (MFA included) stays valid
    ctx.session.regenerate()
    ctx.session.flash('success', 'Your password is changed.')
    return ctx.response.redirect().toRoute('access.account.security')
  }

  /** Changing MFA needs a current code, so a walked-away-from session cannot do it. */
  private async confirmedWithCode(ctx: HttpContext, user: User) {
    const { code } = await ctx.request.validateUsing(secondFactorValidator)
    return user.mfaSecret !== null && mfa.verifyTotp(user, user.mfaSecret, code)
  }

  private badCode({ session, response }: HttpContext, form: 'regenerate' | 'disable') {
    session.flash('errors', { [`${form}Code`]: 'That code is not valid, or was already used.' })
    return response.redirect().toRoute('access.account.security')
  }
}
