import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { ErasureCount } from '#dsr/models/dsr_erasure'

export type TerminationChoice = 'return' | 'delete'
export const TERMINATION_STATUSES = [
  'requested',
  'prepared',
  'approved',
  'completed',
  'cancelled',
] as const
export type TerminationStatus = (typeof TERMINATION_STATUSES)[number]

/** A merchant's end of service (Art. 28(3)(g)): return or delete, after a grace period. */
export default class MerchantTermination extends BaseModel {
  static table = 'merchant_terminations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare choice: TerminationChoice

  @column()
  declare status: TerminationStatus

  @column()
  declare requestedByUserId: number | null

  @column()
  declare requestedByTokenId: number | null

  @column.dateTime()
  declare requestedAt: DateTime

  @column.dateTime()
  declare deleteAfter: DateTime

  @column()
  declare dsrExportId: number | null

  @column()
  declare preparedByUserId: number | null

  @column.dateTime()
  declare preparedAt: DateTime | null

  @column()
  declare approvedByUserId: number | null

  @column.dateTime()
  declare approvedAt: DateTime | null

  @column.dateTime()
  declare executedAt: DateTime | null

  @column({ prepare: (value: ErasureCount[] | null) => (value ? JSON.stringify(value) : null) })
  declare counts: ErasureCount[] | null

  @column()
  declare certificateDocumentId: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
