import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { isCountryCode } from '#core/countries'

function unknownCodes(value: unknown) {
  if (!Array.isArray(value)) return []
  // Array rules run before the elements' own toUpperCase(), so normalise here too
  return value
    .map((code) => String(code).trim().toUpperCase())
    .filter((code) => !isCountryCode(code))
}

/** Every entry of a list must be an ISO 3166-1 alpha-2 code (case-insensitive). */
export const countryList = vine.createRule(
  (value: unknown, _options: undefined, field: FieldContext) => {
    const unknown = unknownCodes(value)
    if (unknown.length) {
      field.report(
        `Unknown country code ${unknown.map((c) => `"${c}"`).join(', ')}: use ISO 3166-1 alpha-2 codes such as EG or US.`,
        'country_code',
        field
      )
    }
  }
)

/** A single ISO 3166-1 alpha-2 code. */
export const countryCode = vine.createRule(
  (value: unknown, _options: undefined, field: FieldContext) => {
    if (!isCountryCode(value)) {
      field.report(
        `Unknown country code "${String(value)}": use an ISO 3166-1 alpha-2 code such as EG or US.`,
        'country_code',
        field
      )
    }
  }
)

/** "EG, us ,US" -> ["EG", "US"]; forms send lists as one comma-separated text field. */
export function splitList(value: unknown, { upper = false } = {}): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\n]/) : []
  const cleaned = items
    .map((item) => String(item).trim())
    .filter(Boolean)
    .map((item) => (upper ? item.toUpperCase() : item))
  return [...new Set(cleaned)]
}
