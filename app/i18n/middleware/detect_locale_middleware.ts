import { I18n } from '@adonisjs/i18n'
import i18nManager from '@adonisjs/i18n/services/main'
import type { NextFn } from '@adonisjs/core/types/http'
import { type HttpContext, RequestValidator } from '@adonisjs/core/http'
import {
  DEFAULT_LOCALE,
  DEFAULT_TIME_ZONE,
  LOCALE_COOKIE,
  LOCALE_NAMES,
  SUPPORTED_LOCALES,
  isSupportedLocale,
  textDirection,
} from '#i18n/locales'

/**
 * Picks the request's language: the visitor's own choice (the switcher's cookie), then
 * Accept-Language, then English. It runs as server middleware so error pages for unmatched URLs
 * are translated too, and shares `i18n`, `t()` and the text direction with every view.
 */
export default class DetectLocaleMiddleware {
  static {
    /*
     * English keeps each validator's own messages (field labels written by its module); other
     * languages read `validator.shared.*` from resources/lang, so a form's errors follow its page.
     */
    RequestValidator.messagesProvider = (ctx) =>
      ctx.i18n.locale === DEFAULT_LOCALE ? undefined! : ctx.i18n.createMessagesProvider()
  }

  async handle(ctx: HttpContext, next: NextFn) {
    const chosen = ctx.request.plainCookie(LOCALE_COOKIE)
    const locale = isSupportedLocale(chosen)
      ? chosen
      : (i18nManager.getSupportedLocaleFor(ctx.request.languages()) ?? DEFAULT_LOCALE)

    ctx.i18n = i18nManager.locale(locale)
    ctx.containerResolver.bindValue(I18n, ctx.i18n)
    ctx.response.header('content-language', locale)
    // Meta's webhook never renders a page: spare it a view renderer on every delivery
    if (ctx.request.url().startsWith('/webhooks/')) return next()
    ctx.view.share({
      i18n: ctx.i18n,
      textDirection: textDirection(locale),
      timeZone: DEFAULT_TIME_ZONE,
      locales: SUPPORTED_LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] })),
    })
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    i18n: I18n
  }
}
