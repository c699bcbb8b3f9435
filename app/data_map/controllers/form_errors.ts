import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { FieldInvalid } from '#core/errors'

/**
 * Runs a console form's save. A service's FieldInvalid goes back to the form like a VineJS
 * error (message next to the field, input kept); anything else propagates. Returns undefined
 * when the form was sent back.
 */
export async function submitForm<T>(
  ctx: HttpContext,
  save: () => Promise<T>
): Promise<T | undefined> {
  try {
    return await save()
  } catch (error) {
    if (!(error instanceof FieldInvalid)) throw error
    ctx.session.flashValidationErrors(new vineErrors.E_VALIDATION_ERROR(error.details))
    ctx.response.redirect().back()
    return undefined
  }
}

/** Query-string filters without empty values, for pager links. */
export function filtersOf(input: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(input).filter(
      ([key, value]) => key !== 'page' && value !== undefined && value !== ''
    )
  )
}
