import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'

export type MerchantStatus = 'active' | 'terminating' | 'terminated'

/** SCC Cl. 9(a): the agreed notice period for subprocessor changes; a DPA may only lengthen it. */
export const MIN_OBJECTION_WINDOW_DAYS = 30

/**
 * A shop that uses Conversera: the controller of its customers' data. The people named as its
 * contacts (DPO, representative, contact mailbox) are sealed under the merchant's own key, so
 * they are set on a saved merchant (the seal binds its id) through `#merchants/services/controller_details`.
 */
export default class Merchant extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare slug: string

  @column()
  declare legalName: string

  @column()
  declare countryCode: string

  @column()
  declare status: MerchantStatus

  /** Postal address of the controller (a business address). */
  @column()
  declare contactAddress: string | null

  @encrypted({ merchant: 'id' })
  declare contactEmail: string | null

  @encrypted({ merchant: 'id' })
  declare dpoName: string | null

  @encrypted({ merchant: 'id' })
  declare dpoEmail: string | null

  /** Art. 27 representative in the EU, when the merchant has designated one. */
  @encrypted({ merchant: 'id' })
  declare representativeName: string | null

  @encrypted({ merchant: 'id' })
  declare representativeContact: string | null

  /** Agreed in the merchant's DPA; at least MIN_OBJECTION_WINDOW_DAYS. */
  @column()
  declare objectionWindowDays: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** A terminating or terminated merchant's users and tokens no longer get in. */
  get isServed() {
    return this.status === 'active'
  }

  /** The Casbin domain this merchant's role assignments live in. */
  get domain() {
    return `merchant:${this.id}`
  }

  get hasRepresentative() {
    return Boolean(this.representativeName)
  }
}
