import { isCountryCode } from '#core/countries'
import { FieldInvalid } from '#core/errors'

/** Upper-cases and checks an ISO 3166-1 alpha-2 code against the list shipped in the repo. */
export function countryOrFail(field: string, value: string) {
  const code = value.trim().toUpperCase()
  if (!isCountryCode(code)) {
    throw new FieldInvalid(
      field,
      `"${value}" is not an ISO 3166-1 alpha-2 country code.`,
      'country'
    )
  }
  return code
}
