/** The interface's languages. English is the source; Arabic is written right to left. */
export const SUPPORTED_LOCALES = ['en', 'ar'] as const
export type Locale = (typeof SUPPORTED_LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

/** Store UTC, show Cairo time unless told otherwise: the merchants are Egyptian. */
export const DEFAULT_TIME_ZONE = 'Africa/Cairo'

/** The cookie that remembers the language a visitor picked with the switcher. */
export const LOCALE_COOKIE = 'locale'

const RIGHT_TO_LEFT = new Set<string>(['ar'])

/** Languages named in their own script, as the switcher shows them. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ar: 'العربية' }

export function isSupportedLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value)
}

export function textDirection(locale: string): 'rtl' | 'ltr' {
  return RIGHT_TO_LEFT.has(locale.split('-')[0]) ? 'rtl' : 'ltr'
}

/**
 * The Intl locale used for dates and numbers: Egyptian Arabic writes Arabic-Indic digits and
 * Egyptian month names; English uses day-month-year, as the users' documents do.
 */
export function formattingLocale(locale: string) {
  return locale === 'ar' ? 'ar-EG' : 'en-GB'
}
