/*
 * Session, shield (CSRF, CSP, HSTS) and auth initialisation for every route except those that
 * must answer while Redis, the session store, is down: the public health check. It carries no
 * session, reads no cookie and resolves no principal, so nothing is lost by skipping all three.
 * (Meta's webhook never reaches this stack: `start/front_door.ts`.)
 */
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import InitializeAuthMiddleware from '@adonisjs/auth/initialize_auth_middleware'

export const STATELESS_ROUTES = new Set(['/health'])

export default class StatefulMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.route && STATELESS_ROUTES.has(ctx.route.pattern)) return next()
    const session = await ctx.containerResolver.make(SessionMiddleware)
    const shield = await ctx.containerResolver.make(ShieldMiddleware)
    const auth = await ctx.containerResolver.make(InitializeAuthMiddleware)
    return session.handle(ctx, () => shield.handle(ctx, () => auth.handle(ctx, next)))
  }
}
