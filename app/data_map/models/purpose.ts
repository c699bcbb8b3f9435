import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import ProcessingActivity from '#data_map/models/processing_activity'

export type PurposeStatus = 'allowed' | 'prohibited'

/** Why data is processed. Prohibited purposes are registered so that guards can name them. */
export default class Purpose extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare code: string

  @column()
  declare name: string

  @column()
  declare description: string

  @column()
  declare status: PurposeStatus

  @hasMany(() => ProcessingActivity)
  declare activities: HasMany<typeof ProcessingActivity>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
