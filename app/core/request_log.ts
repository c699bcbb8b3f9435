import type { ServerResponse } from 'node:http'
import type { Logger } from '@adonisjs/core/logger'

/**
 * One line per request once the response is flushed (so error statuses are right): method,
 * route pattern, status and time, never the query string or a body. `describe` runs at the end,
 * when the route is known.
 */
export function logWhenFinished(
  res: ServerResponse,
  log: Logger,
  describe: () => Record<string, unknown>
) {
  const startedAt = process.hrtime.bigint()
  res.once('finish', () =>
    log.info(
      {
        ...describe(),
        status: res.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - startedAt) / 1e5) / 10,
      },
      'request'
    )
  )
}
