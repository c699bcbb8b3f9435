import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Principal } from '#access/principal'
import { mfaPending, resolvePrincipal } from '#access/services/principal_resolver'
import authorization from '#access/services/authorization'
import { actorOf } from '#audit/actor'
import { navigationFor } from '#access/services/navigation'
import auditAggregates from '#audit/services/audit_aggregates'
import { isApiRequest } from '#core/api_error'
import { DomainError, Forbidden } from '#core/errors'

/** Every route says what it needs: a permission, or explicitly that it is public. */
export type AuthorizeOptions = { permission: string } | { public: true }

export class Unauthenticated extends DomainError {
  constructor() {
    super('unauthenticated', 'Sign in, or send a valid API token, to use this.', { status: 401 })
  }
}

/**
 * Deny by default: resolves who is calling (session or bearer token), sends the unauthenticated
 * to sign in (console) or answers 401 (API), and lets the request through only when Casbin says
 * the principal holds `permission` in its own domain. Every denial is audited.
 */
export default class AuthorizeMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: AuthorizeOptions) {
    const api = isApiRequest(ctx)
    if ('public' in options) {
      // Public console pages still show who is signed in; a bad token must not break them
      if (!api) await this.share(ctx, await resolvePrincipal(ctx).catch(() => null))
      return next()
    }

    const principal = await resolvePrincipal(ctx)
    if (!principal) {
      if (api) throw new Unauthenticated()
      const pending = mfaPending(ctx)
      if (pending) {
        return ctx.response
          .redirect()
          .toRoute(pending.stage === 'enrol' ? 'access.mfa.enrol' : 'access.mfa.challenge')
      }
      return ctx.response.redirect().toRoute('access.login.show')
    }

    ctx.principal = principal
    if (!api) await this.share(ctx, principal)
    if (!(await authorization.can(principal, options.permission))) {
      const route = ctx.route?.name ?? ctx.route?.pattern ?? null
      // Aggregated: a client hammering a forbidden route adds one event per window, not one per hit
      await auditAggregates.note(
        {
          action: 'access.denied',
          outcome: 'denied',
          actor: actorOf(principal),
          merchantId: principal.merchantId,
          meta: {
            permission: options.permission,
            route,
            method: ctx.request.method(),
            domain: principal.domain,
          },
        },
        [route, ctx.request.method()]
      )
      throw new Forbidden()
    }
    return next()
  }

  private async share(ctx: HttpContext, principal: Principal | null) {
    ctx.view.share({
      principal,
      navigation: principal ? await navigationFor(principal, ctx.request.url()) : [],
    })
  }
}
