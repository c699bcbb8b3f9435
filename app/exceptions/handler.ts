import app from '@adonisjs/core/services/app'
import { errors as vineErrors } from '@vinejs/vine'
import { ExceptionHandler, type HttpContext } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { apiErrorOf, isApiRequest } from '#core/api_error'
import { DomainError, FieldInvalid } from '#core/errors'
import { translatedFieldErrors, translatedMessage } from '#i18n/errors'

/* Never echoed back into a form after a refusal. */
const UNFLASHED_INPUT = [
  '_csrf',
  '_method',
  'password',
  'password_confirmation',
  'currentPassword',
  'newPassword',
  'newPasswordConfirmation',
]

/**
 * The one place console errors become what the user sees; controllers do not catch.
 * - API routes and JSON clients: the `{"error":{code,message,details}}` shape.
 * - A field error (VineJS or a service's `FieldInvalid`): back to the form, message next to the
 *   field, input kept.
 * - Any other domain error the user can act on (a closed window, an invalid transition, a
 *   conflict) on a form post: back to the form with the message flashed above it.
 * - Everything else (404, 403, 5xx, errors on GET pages): the status page.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction && !app.inTest

  /* The console always gets a friendly page; stack traces are for `node ace serve` only. */
  protected renderStatusPages = true

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '400..499': (error, { view, response }) =>
      view.render('pages/errors/status', {
        status: response.getStatus(),
        error: apiErrorOf(error).body.error,
      }),
    '500..599': (error, { view, response }) =>
      view.render('pages/errors/status', {
        status: response.getStatus(),
        error: apiErrorOf(error).body.error,
      }),
  }

  async handle(error: unknown, ctx: HttpContext) {
    if (isApiRequest(ctx)) {
      const { status, body } = apiErrorOf(error)
      return ctx.response.status(status).json(body)
    }
    const fieldError = asValidationError(error, ctx)
    if (fieldError && ctx.session) return this.backWithFieldErrors(fieldError, ctx)
    if (isActionable(error, ctx)) return this.backWithMessage(error, ctx)

    const { status } = apiErrorOf(error)
    if (this.debug && status >= 500) return super.handle(error, ctx)
    ctx.response.status(status)
    // The handler's return value is not sent by the server: send the page explicitly
    const page = await this.statusPages[status >= 500 ? '500..599' : '400..499'](error as any, ctx)
    return ctx.response.send(page)
  }

  private backWithFieldErrors(
    error: InstanceType<typeof vineErrors.E_VALIDATION_ERROR>,
    ctx: HttpContext
  ) {
    ctx.session.flashValidationErrors(error)
    ctx.session.flashExcept(UNFLASHED_INPUT)
    return ctx.response.redirect().back()
  }

  private backWithMessage(error: DomainError, ctx: HttpContext) {
    ctx.session.flashExcept(UNFLASHED_INPUT)
    ctx.session.flash('error', ctx.i18n ? translatedMessage(ctx.i18n, error) : error.message)
    return ctx.response.redirect().back()
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}

/** A VineJS error as is, or a service's `FieldInvalid` in the same shape. */
function asValidationError(error: unknown, ctx: HttpContext) {
  if (error instanceof vineErrors.E_VALIDATION_ERROR) return error
  if (error instanceof FieldInvalid) {
    const details = ctx.i18n ? translatedFieldErrors(ctx.i18n, error.details) : error.details
    return new vineErrors.E_VALIDATION_ERROR(details)
  }
  return null
}

/** A refusal the user can act on, from a form post (a GET page has no form to go back to). */
function isActionable(error: unknown, ctx: HttpContext): error is DomainError {
  if (!(error instanceof DomainError) || !ctx.session || ctx.request.method() === 'GET')
    return false
  const status = error.status ?? 500
  return status < 500 && ![401, 403, 404].includes(status)
}
