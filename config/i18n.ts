import app from '@adonisjs/core/services/app'
import { configProvider } from '@adonisjs/core'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'
import type { FormatterFactory } from '@adonisjs/i18n/types'
import { DEFAULT_LOCALE, SUPPORTED_LOCALES, formattingLocale } from '#i18n/locales'

/*
 * ICU messages, with numbers and plurals written the way dates are: Egyptian Arabic uses
 * Arabic-Indic digits (`ar-EG`), while plain `ar` would print Latin ones.
 */
const icuInRegion = configProvider.create<FormatterFactory>(async (application) => {
  const icu = await formatters.icu().resolver(application)
  return (config) => {
    const inner = icu(config)
    return {
      name: inner.name,
      format: (message, locale, data) => inner.format(message, formattingLocale(locale), data),
    }
  }
})

/*
 * Translations live in resources/lang/<locale>/<namespace>.json; a key reads `namespace.key`.
 * English is the source language: a string missing in Arabic falls back to it.
 */
const i18nConfig = defineConfig({
  defaultLocale: DEFAULT_LOCALE,
  supportedLocales: [...SUPPORTED_LOCALES],
  fallbackLocales: { ar: 'en' },
  formatter: icuInRegion,
  loaders: [loaders.fs({ location: app.languageFilesPath() })],
})

export default i18nConfig
