/*
 * Session and shield (CSRF, CSP, HSTS) for every route except those that must answer while
 * Redis, the session store, is down: the public health check and Meta's webhook (signed by
 * Meta, answered while Redis is down). They carry no session and read no cookie, so nothing is
 * lost by skipping both.
 */
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'

export const STATELESS_ROUTES = new Set(['/health', '/webhooks/meta'])

export default class StatefulMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.route && STATELESS_ROUTES.has(ctx.route.pattern)) return next()
    const session = await ctx.containerResolver.make(SessionMiddleware)
    const shield = await ctx.containerResolver.make(ShieldMiddleware)
    return session.handle(ctx, () => shield.handle(ctx, next))
  }
}
