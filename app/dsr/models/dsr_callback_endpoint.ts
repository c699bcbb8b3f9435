import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** Where a merchant wants signed case events POSTed (optional; one per merchant). */
export default class DsrCallbackEndpoint extends BaseModel {
  static table = 'dsr_callback_endpoints'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare url: string

  @column()
  declare active: boolean

  @column()
  declare updatedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
