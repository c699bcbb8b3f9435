import { DateTime } from 'luxon'

/**
 * A calendar year, half-year, quarter or month: `2026`, `2026-H1`, `2026-Q3`, `2026-07`. Halves and
 * quarters may drop the hyphen (`2026H2`), as transparency reports are usually named.
 */
export const PERIOD_FORMAT = /^(\d{4})(?:-?(H[12]|Q[1-4])|-(0[1-9]|1[0-2]))?$/

/** The half-open UTC range [start, end) a period covers, or null when the text is not a period. */
export function periodRange(period: string): { start: DateTime; end: DateTime } | null {
  const match = PERIOD_FORMAT.exec(period)
  if (!match) return null
  const year = Number(match[1])
  const part = match[2] ?? match[3]
  const yearStart = DateTime.utc(year, 1, 1)
  if (!part) return { start: yearStart, end: yearStart.plus({ years: 1 }) }
  if (part.startsWith('H')) {
    const start = yearStart.plus({ months: (Number(part[1]) - 1) * 6 })
    return { start, end: start.plus({ months: 6 }) }
  }
  if (part.startsWith('Q')) {
    const start = yearStart.plus({ months: (Number(part[1]) - 1) * 3 })
    return { start, end: start.plus({ months: 3 }) }
  }
  const start = DateTime.utc(year, Number(part), 1)
  return { start, end: start.plus({ months: 1 }) }
}
