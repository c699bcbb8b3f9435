/*
 * Edge helpers for the reader's locale. `t()` and `i18n` come from @adonisjs/i18n's Edge plugin;
 * DetectLocaleMiddleware shares the request's `i18n` and `timeZone`, which these read. Below them,
 * the helpers of the console's shared components (resources/views/components): field errors,
 * status labels and tones, plurals.
 */
import edge from 'edge.js'
import { TRANSFER_MECHANISM_LABELS } from '#vendors/models/subprocessor'
import { STATUS_LABELS as SUBPROCESSOR_STATUS_LABELS } from '#vendors/services/lifecycle'
import { countryName } from '#core/countries'
import { fieldLabel } from '#core/validation_messages'
import { formatDate, formatDateTime, formatNumber, formatRegions } from '#i18n/formatting'
import { DEFAULT_LOCALE, DEFAULT_TIME_ZONE } from '#i18n/locales'

type State = { i18n: { locale: string }; timeZone?: string }
type I18nLike = { locale: string; t(key: string, data?: object, fallback?: string): string }

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

type FlashMessages = { get(key: string): unknown }

/** Messages flashed for `field` and for its list entries (`dataCategories.0`, `scopes.1`). */
export function fieldErrors(flashMessages: FlashMessages | undefined, field: string): string[] {
  const errors = (flashMessages?.get('errors') ?? {}) as Record<string, string | string[]>
  return Object.entries(errors)
    .filter(([key]) => key === field || key.startsWith(`${field}.`))
    .flatMap(([, messages]) => [].concat(messages as never))
}

const STATUS_LABELS: Record<string, string> = {
  ...SUBPROCESSOR_STATUS_LABELS,
  ...TRANSFER_MECHANISM_LABELS,
  active: 'Active',
  disabled: 'Disabled',
  revoked: 'Revoked',
  expired: 'Expired',
  expiring: 'Expiring soon',
  enabled: 'Enabled',
  pending_deletion: 'Pending deletion',
  destroyed: 'Destroyed',
  success: 'Success',
  denied: 'Denied',
  failure: 'Failure',
  open: 'Open',
  upheld: 'Upheld',
  withdrawn: 'Withdrawn',
  rejected: 'Rejected',
  ok: 'Up to date',
  due_soon: 'Review due soon',
  overdue: 'Review overdue',
  approved: 'Approved',
  draft: 'Draft',
  queued: 'Queued',
  running: 'Running',
  completed: 'Ready',
  failed: 'Failed',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  allowed: 'Allowed',
  prohibited: 'Prohibited',
  domestic: 'Domestic (no transfer)',
  external_api: 'External API',
}

const TONES: Record<string, string> = {
  effective: 'ok',
  approved: 'ok',
  ok: 'ok',
  active: 'ok',
  enabled: 'ok',
  success: 'ok',
  completed: 'ok',
  allowed: 'ok',
  low: 'ok',
  open: 'warn',
  notice_published: 'warn',
  due_soon: 'warn',
  expiring: 'warn',
  denied: 'warn',
  pending_deletion: 'warn',
  medium: 'warn',
  queued: 'warn',
  running: 'warn',
  upheld: 'bad',
  overdue: 'bad',
  failure: 'bad',
  failed: 'bad',
  revoked: 'bad',
  disabled: 'bad',
  destroyed: 'bad',
  high: 'bad',
  prohibited: 'bad',
}

/** "notice_published" → "Notice published"; a code nobody labelled still reads as words. */
export function statusLabel(code: string | null | undefined) {
  if (!code) return '—'
  const known = STATUS_LABELS[code]
  if (known) return known
  const words = code.replace(/[_.]+/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** "1 version", "2 versions", "3 activities". */
export function plural(count: number, noun: string, pluralNoun?: string) {
  if (count === 1) return noun
  if (pluralNoun) return pluralNoun
  return /[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`
}

edge.global('fieldErrors', fieldErrors)
/* In English the label above; in another locale `common.label.<code>` from its file, else English. */
edge.global(
  'statusLabel',
  function (this: State & { i18n: I18nLike }, code: string | null | undefined) {
    const english = statusLabel(code)
    if (!code || this.i18n.locale === DEFAULT_LOCALE) return english
    return this.i18n.t(`common.label.${code}`, {}, english)
  }
)
edge.global('toneOf', (code: string) => TONES[code] ?? '')
edge.global('plural', plural)

type Translating = { i18n: { hasMessage(key: string): boolean; t(key: string): string } }

/** An audit action's label in the reader's language (`audit_actions.*`); unknown ones as words. */
edge.global('auditActionLabel', function (this: Translating, action: string) {
  const key = `audit_actions.${action.replace(/\./g, '__')}`
  return this.i18n.hasMessage(key) ? this.i18n.t(key) : statusLabel(action)
})

/** "checkpointEventId" → "Checkpoint event id". */
function keyWords(key: string) {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ')
  return spaced.charAt(0).toUpperCase() + spaced.slice(1).toLowerCase()
}

export function readable(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (Array.isArray(value)) return value.length ? value.map(readable).join(', ') : '—'
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${keyWords(key)}: ${readable(inner)}`)
      .join('; ')
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  return String(value)
}

/** Audit details as label/value pairs (nested values flattened to text), never a JSON dump. */
export function detailPairs(meta: Record<string, unknown> | null | undefined) {
  return Object.entries(meta ?? {}).map(([key, value]) => ({
    label: keyWords(key),
    value: readable(value),
  }))
}
edge.global('detailPairs', detailPairs)
edge.global('readableValue', readable)
edge.global('fieldLabel', fieldLabel)
