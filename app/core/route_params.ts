/*
 * Route parameters that name a database row. Serial keys are PostgreSQL `integer`s, so an id
 * beyond 2^31 - 1 would reach the query and fail there (a 500); the matcher makes the route not
 * match instead, and the visitor gets the same 404 as for any id that does not exist.
 * `start/routes.ts` applies it to every `:id` at once (`router.where`).
 */

export const MAX_SERIAL_ID = 2_147_483_647

/** A pattern for the decimals 1..max written without leading zeros. */
export function decimalUpTo(max: number): RegExp {
  const digits = String(max)
  const alternatives: string[] = []
  if (digits.length > 1) alternatives.push(`[1-9]\\d{0,${digits.length - 2}}`)
  // Same length as max: equal up to position i, then a smaller digit, then anything
  for (let i = 0; i < digits.length; i++) {
    const low = i === 0 ? 1 : 0
    const below = Number(digits[i]) - 1
    if (below < low) continue
    const rest = digits.length - i - 1
    alternatives.push(`${digits.slice(0, i)}[${low}-${below}]${rest ? `\\d{${rest}}` : ''}`)
  }
  alternatives.push(digits)
  return new RegExp(`^(?:${alternatives.join('|')})$`)
}

/** `:id` of a row with a serial key: 1..2^31 - 1, cast to a number. */
export const serialId = {
  match: decimalUpTo(MAX_SERIAL_ID),
  cast: (value: string) => Number(value),
}
