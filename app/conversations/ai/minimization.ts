/*
 * Minimisation before any external AI call (DESIGN.md §5): identifiers the model does not need
 * become placeholders. Order numbers, prices and quantities stay, or the AI could not help.
 * Card numbers are redacted only when Luhn-valid, so a 16-digit order reference survives.
 */
import { asciiDigits } from '#conversations/ai/text'

export type RedactionKind = 'email' | 'card' | 'national_id' | 'phone'

export interface Minimized {
  text: string
  redactions: number
  counts: Record<RedactionKind, number>
}

const PLACEHOLDER: Record<RedactionKind, string> = {
  email: '[EMAIL]',
  card: '[CARD]',
  national_id: '[NATIONAL_ID]',
  phone: '[PHONE]',
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu
/* 13-19 digits, optionally grouped by single spaces or dashes */
const CARD_CANDIDATE = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g
/* Egyptian national ID: century digit 2 or 3, YYMMDD, governorate code, serial, check digit */
const NATIONAL_ID = /(?<!\d)[23]\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{7}(?!\d)/g
/*
 * Phones: Egyptian mobiles (01x + 8 digits, with or without +20/0020), and other
 * international numbers written with a leading + (8 to 15 digits, spaces/dashes allowed).
 */
const PHONE = new RegExp(
  [
    String.raw`(?<![\d+])(?:\+|00)?(?:20[ -]?)?0?1[0125](?:[ -]?\d){8}(?!\d)`,
    String.raw`(?<![\d+])(?:\+|00)[1-9](?:[ -]?\d){7,14}(?!\d)`,
    // landlines: Cairo 02 and Alexandria 03 + 7-8 digits, other areas 0xx + 7 digits
    String.raw`(?<!\d)0(?:2|3|[4-9]\d)[ -]?\d{3,4}[ -]?\d{4}(?!\d)`,
  ].join('|'),
  'g'
)

export function luhnValid(digits: string) {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48
    if (double) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
    double = !double
  }
  return sum % 10 === 0
}

/**
 * `keep` spares identifiers that may stay (a DSR export keeps the subject's own phone and e-mail
 * and redacts everyone else's).
 */
export function minimize(
  input: string,
  options: { keep?: (kind: RedactionKind, match: string) => boolean } = {}
): Minimized {
  const counts: Record<RedactionKind, number> = { email: 0, card: 0, national_id: 0, phone: 0 }
  // Arabic-Indic digits are folded first, so "٠١٠١٢٣٤٥٦٧٨" is caught like "01012345678"
  let text = asciiDigits(input)
  const replace = (pattern: RegExp, kind: RedactionKind, accept = (_match: string) => true) => {
    text = text.replace(pattern, (match) => {
      if (!accept(match) || options.keep?.(kind, match)) return match
      counts[kind]++
      return PLACEHOLDER[kind]
    })
  }
  replace(EMAIL, 'email')
  replace(NATIONAL_ID, 'national_id')
  replace(CARD_CANDIDATE, 'card', (match) => luhnValid(match.replace(/[ -]/g, '')))
  replace(PHONE, 'phone')
  const redactions = counts.email + counts.card + counts.national_id + counts.phone
  // Untouched text is returned as written (its own digits), so nothing changes without a reason
  return { text: redactions ? text : input, redactions, counts }
}
