import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * PLACEHOLDER owned by the access module: the real version authenticates the principal (session
 * or bearer token) and enforces `permission` with Casbin in the principal's domain.
 */
export type AuthorizeOptions = { permission: string } | { public: true }

export default class AuthorizeMiddleware {
  async handle(_ctx: HttpContext, next: NextFn, _options: AuthorizeOptions) {
    return next()
  }
}
