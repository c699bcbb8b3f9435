import i18nManager from '@adonisjs/i18n/services/main'
import { countryName } from '#core/countries'

/*
 * Reports leave the hub in English (the language of the signed record); their words come from
 * the same `government` namespace as the pages, so a label is written once.
 */
export function label(group: string, code: string | null | undefined) {
  if (!code) return '—'
  return i18nManager.locale('en').t(`government.${group}.${code}`, {}, code.replace(/_/g, ' '))
}

export const authorityOf = (r: { authorityName: string; authorityCountry: string }) =>
  `${r.authorityName} (${countryName(r.authorityCountry)})`

/** Staff appear by account number in documents that leave the console. */
export const account = (userId: number | null | undefined) => (userId ? `account #${userId}` : '—')
