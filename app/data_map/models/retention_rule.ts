import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { RetentionStart } from '#data_map/taxonomy'

/** How long a data category is kept, counted from which timestamp. */
export default class RetentionRule extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare dataCategoryId: number

  @column()
  declare durationDays: number

  @column()
  declare startsFrom: RetentionStart

  /** Why this long (contract, law, instruction). */
  @column()
  declare basis: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
