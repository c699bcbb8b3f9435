import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { UPLOAD_ROUTES } from '#config/bodyparser'
import { DomainError } from '#core/errors'

/**
 * Refuses multipart bodies on routes that take no upload, before the body parser reads them:
 * an upload to any other route would only fill the temp directory.
 */
export default class UploadsOnlyMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const { request } = ctx
    if (
      request.hasBody() &&
      request.is(['multipart']) &&
      !UPLOAD_ROUTES.includes(ctx.route!.pattern)
    ) {
      throw new DomainError(
        'unsupported_media_type',
        'This address does not take file uploads; send a form or JSON.',
        { status: 415 }
      )
    }
    return next()
  }
}
