import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { DsrStatus } from '#dsr/models/dsr_case'

/** One entry on a case's timeline. `detail` holds codes and numbers, never personal data. */
export default class DsrCaseEvent extends BaseModel {
  static table = 'dsr_case_events'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare dsrCaseId: number

  @column()
  declare kind: string

  @column()
  declare fromStatus: DsrStatus | null

  @column()
  declare toStatus: DsrStatus | null

  @column()
  declare actorType: string

  @column()
  declare actorId: string | null

  @column()
  declare detail: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
