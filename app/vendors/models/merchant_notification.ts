import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** An entry in a merchant's portal inbox. */
export default class MerchantNotification extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare kind: string

  @column()
  declare title: string

  @column()
  declare body: string

  @column()
  declare link: string | null

  @column()
  declare sourceType: string | null

  @column()
  declare sourceId: string | null

  @column.dateTime()
  declare readAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
