import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A to-do on a case ("confirm identity with the merchant"), assignable and ticked off. */
export default class DsrCaseTask extends BaseModel {
  static table = 'dsr_case_tasks'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare dsrCaseId: number

  @column()
  declare title: string

  @column.date()
  declare dueOn: DateTime | null

  @column()
  declare assigneeUserId: number | null

  @column()
  declare createdByUserId: number | null

  @column.dateTime()
  declare doneAt: DateTime | null

  @column()
  declare doneByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
