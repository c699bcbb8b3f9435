import { DateTime } from 'luxon'
import { DEFAULT_TIME_ZONE, formattingLocale } from '#i18n/locales'

type DateLike = DateTime | Date | string | number | null | undefined

function toDate(value: DateLike): Date | null {
  if (value === null || value === undefined || value === '') return null
  if (DateTime.isDateTime(value)) return value.isValid ? value.toJSDate() : null
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

export interface LocaleFormatOptions {
  locale: string
  timeZone?: string
}

/** A moment in the reader's language and time zone, e.g. "٣٠‏/١١‏/٢٠٢٦، ٠٦:٤٠ م" or "30 Nov 2026, 06:40". */
export function formatDateTime(value: DateLike, { locale, timeZone }: LocaleFormatOptions) {
  const date = toDate(value)
  if (!date) return ''
  return new Intl.DateTimeFormat(formattingLocale(locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: timeZone ?? DEFAULT_TIME_ZONE,
  }).format(date)
}

/** A calendar day in the reader's language and time zone. */
export function formatDate(value: DateLike, { locale, timeZone }: LocaleFormatOptions) {
  const date = toDate(value)
  if (!date) return ''
  return new Intl.DateTimeFormat(formattingLocale(locale), {
    dateStyle: 'medium',
    timeZone: timeZone ?? DEFAULT_TIME_ZONE,
  }).format(date)
}

export function formatNumber(value: number | bigint, { locale }: LocaleFormatOptions) {
  return new Intl.NumberFormat(formattingLocale(locale)).format(value)
}

/**
 * Countries by ISO code, named in the reader's language ("Ireland, United States" /
 * "أيرلندا والولايات المتحدة"). English keeps the hub's own country names.
 */
export function formatRegions(
  codes: string[],
  { locale }: LocaleFormatOptions,
  englishName: (code: string) => string
) {
  const names =
    locale === 'en'
      ? codes.map(englishName)
      : codes.map(
          (code) =>
            new Intl.DisplayNames([formattingLocale(locale)], { type: 'region' }).of(code) ?? code
        )
  return new Intl.ListFormat(formattingLocale(locale), { style: 'short', type: 'unit' }).format(
    names
  )
}
