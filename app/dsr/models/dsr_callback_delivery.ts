import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { DsrStatus } from '#dsr/models/dsr_case'

export type DeliveryState = 'pending' | 'delivered' | 'failed'

/** One signed status event for a merchant's callback URL, with its delivery attempts. */
export default class DsrCallbackDelivery extends BaseModel {
  static table = 'dsr_callback_deliveries'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare dsrCaseId: number

  @column()
  declare eventId: string

  @column()
  declare caseStatus: DsrStatus

  @column()
  declare url: string

  @column()
  declare state: DeliveryState

  @column()
  declare attempts: number

  @column()
  declare lastStatusCode: number | null

  @column()
  declare lastError: string | null

  @column.dateTime()
  declare nextAttemptAt: DateTime | null

  @column.dateTime()
  declare deliveredAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
