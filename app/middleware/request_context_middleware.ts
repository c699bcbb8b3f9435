import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Echoes the request id so a user reporting a problem can quote it, and logs one line per
 * request once the response is flushed (so error statuses are right): method, route pattern
 * and status, never the query string or a body.
 */
export default class RequestContextMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const startedAt = process.hrtime.bigint()
    ctx.response.header('x-request-id', ctx.request.id()!)
    ctx.response.response.once('finish', () => {
      ctx.logger.info(
        {
          method: ctx.request.method(),
          route: ctx.route?.pattern ?? 'unmatched',
          status: ctx.response.response.statusCode,
          ms: Math.round(Number(process.hrtime.bigint() - startedAt) / 1e5) / 10,
        },
        'request'
      )
    })
    return next()
  }
}
