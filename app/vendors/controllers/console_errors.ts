import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { DomainError } from '#core/errors'

interface FieldDetail {
  field?: string
  rule?: string
  message: string
}

/**
 * Runs a console form action. A service's field-level error becomes a VineJS validation error,
 * so the form comes back with the input kept and the message next to the field; any other
 * user-facing rule (a closed window, an invalid transition) is flashed above the page.
 */
export async function consoleAction<T>(
  ctx: HttpContext,
  action: () => Promise<T>
): Promise<T | void> {
  try {
    return await action()
  } catch (error) {
    if (!(error instanceof DomainError) || (error.status ?? 500) >= 500) throw error
    const details = (error.details as FieldDetail[]).filter((d) => d.field && d.field !== 'status')
    if (error.code === 'validation_failed' && details.length) {
      throw new vineErrors.E_VALIDATION_ERROR(
        details.map((d) => ({ ...d, rule: d.rule ?? 'invalid' }))
      )
    }
    if (error.status === 404 || error.status === 403) throw error
    ctx.session.flashAll()
    ctx.session.flash('error', error.message)
    return ctx.response.redirect().back()
  }
}

export function actorId(ctx: HttpContext) {
  return ctx.principal?.userId ?? null
}
