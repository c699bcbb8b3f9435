import { createHmac } from 'node:crypto'
import { FieldInvalid } from '#core/errors'
import keyring from '#keys/services/keyring'

export const BLIND_INDEX_KINDS = ['phone', 'wa_id', 'instagram_id', 'email'] as const
export type BlindIndexKind = (typeof BLIND_INDEX_KINDS)[number]

/**
 * Canonical form before hashing, so every spelling of one identifier meets the same index:
 * phone -> E.164 (`+` and 7-15 digits; `00` accepted for `+`), wa_id -> digits only (a BSUID
 * such as `US.1349...` keeps its form with the country part upper-cased), Instagram id ->
 * digits, e-mail -> trimmed and lower-cased.
 */
export function normalizeIdentifier(kind: BlindIndexKind, value: string, field: string = kind) {
  const trimmed = value.trim()
  switch (kind) {
    case 'phone': {
      const compact = trimmed.replace(/[\s\-().]/g, '').replace(/^00/, '+')
      if (!/^\+[1-9]\d{6,14}$/.test(compact)) {
        throw new FieldInvalid(
          field,
          'Enter the phone number in international form, e.g. +44 20 7946 0958.',
          'keys_phone_format'
        )
      }
      return compact
    }
    case 'wa_id': {
      if (/^\+?[\d\s\-().]+$/.test(trimmed)) {
        const digits = trimmed.replace(/\D/g, '')
        if (digits.length >= 7 && digits.length <= 15) return digits
      }
      const bsuid = /^([A-Za-z]{2})\.([A-Za-z0-9]+)$/.exec(trimmed)
      if (bsuid) return `${bsuid[1].toUpperCase()}.${bsuid[2]}`
      throw new FieldInvalid(
        field,
        'Enter a WhatsApp id (digits) or a business-scoped user id.',
        'keys_whatsapp_id_format'
      )
    }
    case 'instagram_id':
      if (!/^\d{1,32}$/.test(trimmed)) {
        throw new FieldInvalid(
          field,
          'An Instagram-scoped id is made of digits only.',
          'keys_instagram_id_format'
        )
      }
      return trimmed
    case 'email': {
      const email = trimmed.toLowerCase()
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
        throw new FieldInvalid(field, 'Enter a valid e-mail address.', 'keys_email_format')
      }
      return email
    }
  }
}

/**
 * HMAC-SHA256 of the normalized value under the scope's index key for this kind (hex). The same
 * person at two merchants gets unrelated values, and kinds never collide with each other.
 */
export async function blindIndex(
  merchantId: number | null,
  kind: BlindIndexKind,
  value: string,
  field?: string
) {
  const normalized = normalizeIdentifier(kind, value, field)
  const key = await keyring.indexKey(merchantId, kind)
  return createHmac('sha256', key).update(normalized).digest('hex')
}
