import type { HttpContext } from '@adonisjs/core/http'
import { isApiRequest } from '#core/api_error'
import { loginValidator } from '#access/validators/session'
import signIn, { InvalidCredentials, LoginLockedOut } from '#access/services/sign_in'
import { resolvePrincipal } from '#access/services/principal_resolver'
import { translatedMessage } from '#i18n/errors'

const NEXT_STEP = {
  signed_in: 'dashboard',
  challenge: 'access.mfa.challenge',
  enrol: 'access.mfa.enrol',
} as const

export default class SessionController {
  async show(ctx: HttpContext) {
    if (await resolvePrincipal(ctx)) return ctx.response.redirect().toRoute('dashboard')
    return ctx.view.render('pages/access/login')
  }

  async store(ctx: HttpContext) {
    const { request, response, session, view } = ctx
    const { email, password } = await request.validateUsing(loginValidator)
    try {
      const step = await signIn.withPassword(ctx, email, password)
      if (isApiRequest(ctx)) return response.json({ next: step })
      return response.redirect().toRoute(NEXT_STEP[step])
    } catch (error) {
      if (error instanceof LoginLockedOut) {
        response.header('retry-after', String(error.retryAfterSeconds))
        if (isApiRequest(ctx)) throw error
        response.status(429)
        return view.render('pages/access/login', {
          lockedOut: translatedMessage(ctx.i18n, error),
          email,
        })
      }
      if (error instanceof InvalidCredentials && !isApiRequest(ctx)) {
        session.flash('loginError', translatedMessage(ctx.i18n, error))
        session.flashOnly(['email'])
        return response.redirect().toRoute('access.login.show')
      }
      throw error
    }
  }

  async destroy(ctx: HttpContext) {
    await signIn.signOut(ctx)
    ctx.session.flash('success', ctx.i18n.t('access.signed_out'))
    return ctx.response.redirect().toRoute('access.login.show')
  }
}
