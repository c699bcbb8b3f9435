import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import { BaseModel, beforeCreate, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'

const SUBJECT = { attribute: 'id', kind: 'customer' }

/**
 * A merchant's customer, the data subject of its conversations. Every identifier is sealed under
 * the customer's own key (`customer:<id>`) with a per-merchant blind index for lookups
 * (`#conversations/customers/customer_directory`). `reference` is the opaque public id (`cus_…`).
 * The guard skips a customer who opted out, is restricted or objects.
 */
export default class Customer extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare reference: string

  @encrypted({
    merchant: 'merchantId',
    subject: SUBJECT,
    blindIndex: { attribute: 'phoneBidx', kind: 'phone' },
  })
  declare phone: string | null

  @column({ serializeAs: null })
  declare phoneBidx: string | null

  @encrypted({
    merchant: 'merchantId',
    subject: SUBJECT,
    blindIndex: { attribute: 'waIdBidx', kind: 'wa_id' },
  })
  declare waId: string | null

  @column({ serializeAs: null })
  declare waIdBidx: string | null

  /** WhatsApp business-scoped user id (`US.1349…`), indexed in the same form as a wa_id. */
  @encrypted({
    merchant: 'merchantId',
    subject: SUBJECT,
    blindIndex: { attribute: 'bsuidBidx', kind: 'wa_id' },
  })
  declare bsuid: string | null

  @column({ serializeAs: null })
  declare bsuidBidx: string | null

  @encrypted({
    merchant: 'merchantId',
    subject: SUBJECT,
    blindIndex: { attribute: 'instagramIdBidx', kind: 'instagram_id' },
  })
  declare instagramId: string | null

  @column({ serializeAs: null })
  declare instagramIdBidx: string | null

  @encrypted({ merchant: 'merchantId', subject: SUBJECT })
  declare displayName: string | null

  @encrypted({
    merchant: 'merchantId',
    subject: SUBJECT,
    blindIndex: { attribute: 'emailBidx', kind: 'email' },
  })
  declare email: string | null

  @column({ serializeAs: null })
  declare emailBidx: string | null

  @column.dateTime()
  declare optedOutAt: DateTime | null

  /** Art. 18 restriction, set by the DSR module. */
  @column.dateTime()
  declare restrictedAt: DateTime | null

  /** Art. 21 objection, set by the DSR module. */
  @column.dateTime()
  declare objectedAt: DateTime | null

  @column.dateTime()
  declare firstSeenAt: DateTime

  @column.dateTime()
  declare lastSeenAt: DateTime

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @beforeCreate()
  static assignReference(customer: Customer) {
    if (!customer.reference) customer.reference = `cus_${randomBytes(12).toString('base64url')}`
  }
}
