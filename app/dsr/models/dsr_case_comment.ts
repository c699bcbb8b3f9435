import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'

/** A staff comment on a case, sealed under the merchant's key (it may discuss the subject). */
export default class DsrCaseComment extends BaseModel {
  static table = 'dsr_case_comments'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare dsrCaseId: number

  @column()
  declare merchantId: number

  @column()
  declare authorUserId: number | null

  @encrypted({ merchant: 'merchantId' })
  declare body: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
