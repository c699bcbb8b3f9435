import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { jsonObject } from '#government_requests/models/json_columns'
import type { TransparencyFigures } from '#government_requests/services/transparency'

/** A published half-year transparency report: its figures (already banded) and its signed PDF. */
export default class TransparencyReport extends BaseModel {
  static table = 'transparency_reports'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare period: string

  @column(jsonObject<TransparencyFigures>())
  declare figures: TransparencyFigures

  @column()
  declare reportDocumentId: string | null

  @column()
  declare publishedByUserId: number | null

  @column.dateTime()
  declare publishedAt: DateTime

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
