import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { LOCALE_COOKIE, SUPPORTED_LOCALES } from '#i18n/locales'

const localeValidator = vine.compile(vine.object({ locale: vine.enum(SUPPORTED_LOCALES) }))

export default class LocaleController {
  /** The language switcher: remembers the choice for a year and returns to the same page. */
  async update({ request, response }: HttpContext) {
    const { locale } = await request.validateUsing(localeValidator)
    response.plainCookie(LOCALE_COOKIE, locale, { maxAge: '365d', httpOnly: true })
    return response.redirect().back()
  }
}
