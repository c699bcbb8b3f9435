import app from '@adonisjs/core/services/app'
import { errors as vineErrors } from '@vinejs/vine'
import { ExceptionHandler, type HttpContext } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { apiErrorOf, isApiRequest } from '#core/api_error'

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
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      return super.handle(error, ctx)
    }
    const { status } = apiErrorOf(error)
    if (this.debug && status >= 500) return super.handle(error, ctx)
    ctx.response.status(status)
    // The handler's return value is not sent by the server: send the page explicitly
    const page = await this.statusPages[status >= 500 ? '500..599' : '400..499'](error as any, ctx)
    return ctx.response.send(page)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}
