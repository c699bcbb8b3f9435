import type { I18n } from '@adonisjs/i18n'

interface CodedError {
  code?: string
  message: string
  details?: unknown[]
}

/**
 * A domain error's message in the reader's language: `errors.<code>` from resources/lang, filled
 * with the error's first detail (e.g. `{retryAfterMinutes}`), or the error's own English message
 * when no translation exists. Codes stay stable, so translations never drift from the API.
 */
export function translatedMessage(i18n: I18n, error: CodedError) {
  if (!error.code) return error.message
  const first = error.details?.[0]
  const data = first && typeof first === 'object' ? (first as Record<string, unknown>) : {}
  return i18n.t(`errors.${error.code}`, data, error.message)
}

interface FieldErrorDetail {
  field: string
  rule: string
  message: string
}

/**
 * A service's field errors (`FieldInvalid`) in the reader's language: `field_errors.<rule>`,
 * falling back to the English message, which may name what was typed.
 */
export function translatedFieldErrors(i18n: I18n, details: unknown[]) {
  return (details as FieldErrorDetail[]).map((detail) => ({
    ...detail,
    message: i18n.t(`field_errors.${detail.rule}`, {}, detail.message),
  }))
}
