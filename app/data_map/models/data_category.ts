import { DateTime } from 'luxon'
import { BaseModel, column, hasOne } from '@adonisjs/lucid/orm'
import type { HasOne } from '@adonisjs/lucid/types/relations'
import type { Sensitivity } from '#data_map/taxonomy'
import RetentionRule from '#data_map/models/retention_rule'

/** A kind of personal data, by dot-path code (`customer.contact.phone`). */
export default class DataCategory extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare code: string

  @column()
  declare name: string

  @column()
  declare description: string

  @column()
  declare sensitivity: Sensitivity

  /** GDPR Art. 9 / PDPL sensitive data. */
  @column()
  declare specialCategory: boolean

  @hasOne(() => RetentionRule)
  declare retentionRule: HasOne<typeof RetentionRule>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
