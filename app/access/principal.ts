import type { HttpContext } from '@adonisjs/core/http'

/**
 * Who is making a request, as resolved by the authorize middleware from the session or a bearer
 * token. Everything downstream (Casbin, tenancy scoping, the audit trail) reads this, never the
 * raw session.
 */
export interface Principal {
  kind: 'user' | 'token'
  /** The signed-in user, or for a token the user who created it. */
  userId: number
  tokenId: number | null
  merchantId: number | null
  /** Casbin domain: `platform` for staff, `merchant:<id>` for merchant users and tokens. */
  domain: string
  /** Roles in `domain`, for navigation and display; enforcement always asks Casbin. */
  roles: string[]
  /** Token scopes (permissions the token may use); null for users. */
  scopes: string[] | null
  /** Safe to show: a name or a token label, never an e-mail. */
  label: string
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    principal?: Principal
  }
}

/**
 * The request's principal, as the authorize middleware set it. The one way controllers read who
 * is calling; a route without the middleware is a wiring mistake, not a user error.
 */
export function principalOf(ctx: HttpContext): Principal {
  if (!ctx.principal) throw new Error(`route ${ctx.route?.name} has no authorize middleware`)
  return ctx.principal
}
