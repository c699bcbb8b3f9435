/*
 * Edge helpers for the reader's locale. `t()` and `i18n` come from @adonisjs/i18n's Edge plugin;
 * DetectLocaleMiddleware shares the request's `i18n` and `timeZone`, which these read.
 */
import edge from 'edge.js'
import { countryName } from '#core/countries'
import { formatDate, formatDateTime, formatNumber, formatRegions } from '#i18n/formatting'
import { DEFAULT_TIME_ZONE } from '#i18n/locales'

type State = { i18n: { locale: string }; timeZone?: string }

function optionsOf(state: State) {
  return { locale: state.i18n.locale, timeZone: state.timeZone ?? DEFAULT_TIME_ZONE }
}

edge.global('formatDateTime', function (this: State, value: Parameters<typeof formatDateTime>[0]) {
  return formatDateTime(value, optionsOf(this))
})
edge.global('formatDate', function (this: State, value: Parameters<typeof formatDate>[0]) {
  return formatDate(value, optionsOf(this))
})
edge.global('formatNumber', function (this: State, value: number) {
  return formatNumber(value, optionsOf(this))
})
edge.global('regionList', function (this: State, codes: string[]) {
  return formatRegions(codes, optionsOf(this), countryName)
})
