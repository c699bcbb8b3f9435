import type { HttpContext } from '@adonisjs/core/http'
import invitations, { InvitationInvalid } from '#access/services/invitations'
import signIn from '#access/services/sign_in'
import { acceptInvitationValidator } from '#access/validators/user'

/**
 * The invited person's first visit: choose a password, then enrol MFA (the sign-in continues
 * at the enrolment step). The link is a secret: never cached, never sent to another site as a referrer.
 */
export default class InvitationsController {
  async show(ctx: HttpContext) {
    this.private(ctx)
    const found = await invitations.open(String(ctx.params.token))
    if (!found) return this.invalid(ctx)
    return ctx.view.render('pages/access/invitation', { token: ctx.params.token })
  }

  async accept(ctx: HttpContext) {
    this.private(ctx)
    const token = String(ctx.params.token)
    if (!(await invitations.open(token))) return this.invalid(ctx)
    const { password } = await ctx.request.validateUsing(acceptInvitationValidator)
    try {
      const user = await invitations.accept(token, password)
      await signIn.invitationAccepted(ctx, user)
    } catch (error) {
      if (error instanceof InvitationInvalid) return this.invalid(ctx)
      throw error
    }
    return ctx.response.redirect().toRoute('access.mfa.enrol')
  }

  private private({ response }: HttpContext) {
    response.header('cache-control', 'no-store').header('referrer-policy', 'same-origin')
  }

  private invalid(ctx: HttpContext) {
    ctx.response.status(410)
    return ctx.view.render('pages/access/invitation', { invalid: true })
  }
}
