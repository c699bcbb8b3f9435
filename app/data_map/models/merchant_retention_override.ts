import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Merchant from '#merchants/models/merchant'
import DataCategory from '#data_map/models/data_category'

/** A merchant's instruction to keep a category for less time than the platform rule (only ever shortened). */
export default class MerchantRetentionOverride extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @belongsTo(() => Merchant)
  declare merchant: BelongsTo<typeof Merchant>

  @column()
  declare dataCategoryId: number

  @belongsTo(() => DataCategory)
  declare category: BelongsTo<typeof DataCategory>

  @column()
  declare durationDays: number

  @column()
  declare reason: string

  /** Who wrote the instruction down: the merchant itself, or staff from its written instruction. */
  @column()
  declare recordedBy: 'merchant' | 'staff'

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
