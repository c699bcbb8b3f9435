import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

function withoutBlanks(value: unknown): unknown {
  if (Array.isArray(value)) {
    const kept = value.map(withoutBlanks).filter((item) => item !== undefined)
    return kept.length ? kept : undefined
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, withoutBlanks(item)] as const)
      .filter(([, item]) => item !== undefined)
    return entries.length ? Object.fromEntries(entries) : undefined
  }
  return typeof value === 'string' && value.trim() === '' ? undefined : value
}

/**
 * A filter form submitted from the browser sends every field, the empty ones as `name=`. An
 * empty parameter means "not filtered by this", so it is dropped before any validator sees it;
 * form bodies get the same treatment from the body parser (`convertEmptyStringsToNull`, and
 * VineJS `optional()` treats null as absent).
 */
export default class BlankQueryMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const qs = ctx.request.qs()
    if (Object.keys(qs).length)
      ctx.request.updateQs((withoutBlanks(qs) as Record<string, any>) ?? {})
    return next()
  }
}
