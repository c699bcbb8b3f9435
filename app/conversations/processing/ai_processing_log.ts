import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Merchant from '#merchants/models/merchant'
import Subprocessor from '#vendors/models/subprocessor'

export const AI_LOG_OUTCOMES = ['ok', 'handoff', 'error', 'denied'] as const
export type AiLogOutcome = (typeof AI_LOG_OUTCOMES)[number]

/** One AI call (or one the guard refused): metadata only, never message text. */
export default class AiProcessingLog extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare conversationId: number | null

  @column()
  declare messageId: number | null

  @column()
  declare customerId: number | null

  @column()
  declare purpose: string

  @column()
  declare provider: string

  @column()
  declare model: string

  @column()
  declare subprocessorId: number | null

  @column()
  declare redactions: number

  @column()
  declare outcome: AiLogOutcome

  @column()
  declare intent: string | null

  @column()
  declare decision: string | null

  @column()
  declare errorCode: string | null

  @column({ consume: (value) => (value === null ? 0 : Number(value)) })
  declare latencyMs: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => Merchant)
  declare merchant: BelongsTo<typeof Merchant>

  @belongsTo(() => Subprocessor)
  declare subprocessor: BelongsTo<typeof Subprocessor>
}
