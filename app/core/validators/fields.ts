/*
 * The shared VineJS field shapes. Forms post lists as one comma-separated text field or as
 * repeated values, checkboxes as "on" or nothing, and empty fields as null (the body parser's
 * `convertEmptyStringsToNull`); query strings lose their empty parameters in
 * `#middleware/blank_query_middleware`. These helpers turn all of that into the typed values the
 * services take, so controllers pass a validated payload straight on and never reshape input.
 */
import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { isCountryCode, unknownCountryMessage } from '#core/countries'

/**
 * "a, b ,a" -> ["a", "b"]: split, trimmed, blanks and repeats dropped; an array passes item by
 * item, a single value becomes a list of one, nothing becomes [].
 */
function listOf(value: unknown, normalise = (item: string) => item): unknown[] {
  if (value === undefined || value === null) return []
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(/[,\n]/)
      : [value]
  const cleaned = items
    .map((item) => (typeof item === 'string' ? normalise(item.trim()) : item))
    .filter((item) => item !== '')
  return [...new Set(cleaned)]
}

const countryRule = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (typeof value !== 'string' || !isCountryCode(value)) {
    field.report(unknownCountryMessage([String(value)]), 'country_code', field)
  }
})

const countryListRule = vine.createRule(
  (value: unknown, _options: undefined, field: FieldContext) => {
    if (!Array.isArray(value)) return
    const unknown = value.filter((code) => !isCountryCode(code))
    if (unknown.length) field.report(unknownCountryMessage(unknown), 'country_code', field)
  }
)

/** The one country rule: an ISO 3166-1 alpha-2 code, any case in, upper case out. */
export const countryCode = () => vine.string().trim().toUpperCase().use(countryRule())

/** A list of countries (comma-separated text or repeated values), deduplicated, upper case. */
export const countryList = () =>
  vine
    .array(vine.string().trim().toUpperCase())
    .parse((value) => listOf(value, (code) => code.toUpperCase()))
    .use(countryListRule())

/** A list of texts (comma- or newline-separated, or repeated values), deduplicated. */
export const textList = (item = vine.string().trim()) =>
  vine.array(item).parse((value) => listOf(value))

/** Newline-separated textarea -> trimmed lines without blanks (e.g. security measures). */
export const lineList = () =>
  vine
    .string()
    .trim()
    .maxLength(4000)
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    )

/** A multi-select of ids: nothing chosen is [], one chosen arrives as a scalar. */
export const idList = () =>
  vine.array(vine.number().positive().withoutDecimals()).parse((value) => listOf(value))

/** A multi-select of fixed choices: nothing chosen is []. */
export const choiceList = <const Choices extends readonly string[]>(choices: Choices) =>
  vine.array(vine.enum(choices)).parse((value) => listOf(value))

/** A checkbox: true when ticked ("on"), undefined (absent, so false to services) when not. */
export const checkbox = () => vine.boolean().optional()

export const optionalId = () => vine.number().positive().withoutDecimals().optional()

export const filterText = () => vine.string().trim().maxLength(120).optional()

export const isoDay = () => vine.date({ formats: ['YYYY-MM-DD'] })
