import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { logWhenFinished } from '#core/request_log'

/**
 * Echoes the request id so a user reporting a problem can quote it, and logs one line per
 * request (`#core/request_log`).
 */
export default class RequestContextMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    ctx.response.header('x-request-id', ctx.request.id()!)
    logWhenFinished(ctx.response.response, ctx.logger, () => ({
      method: ctx.request.method(),
      route: ctx.route?.pattern ?? 'unmatched',
    }))
    return next()
  }
}
