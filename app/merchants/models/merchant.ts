import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type MerchantStatus = 'active' | 'terminating' | 'terminated'

/** A shop that uses Conversera: the controller of its customers' data. */
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
}
