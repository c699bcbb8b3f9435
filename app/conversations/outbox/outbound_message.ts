import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export const OUTBOUND_KINDS = [
  'ai_reply',
  'handoff_notice',
  'data_rights_ack',
  'agent_reply',
] as const
export type OutboundKind = (typeof OUTBOUND_KINDS)[number]

/** `held`: waiting for the channel's token; `sending`: claimed by a sender; `not_sent`: final, with `notSentReason`. */
export const OUTBOUND_STATES = ['pending', 'sending', 'sent', 'failed', 'held', 'not_sent'] as const
export type OutboundState = (typeof OUTBOUND_STATES)[number]

export const NOT_SENT_REASONS = [
  'channel_not_connected',
  'outside_24h_window',
  'outside_human_agent_window',
  'customer_opted_out',
  'recipient_unknown',
] as const
export type NotSentReason = (typeof NOT_SENT_REASONS)[number]

/** One reply in the outbox; its text is sealed on the outbound message it points at. */
export default class OutboundMessage extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare conversationId: number

  @column()
  declare customerId: number

  @column()
  declare messageId: number

  @column()
  declare inboundMessageId: number | null

  @column()
  declare kind: OutboundKind

  @column()
  declare state: OutboundState

  @column()
  declare attempts: number

  @column.dateTime()
  declare nextAttemptAt: DateTime | null

  @column()
  declare providerMessageId: string | null

  @column()
  declare errorCode: string | null

  @column()
  declare errorTitle: string | null

  @column()
  declare notSentReason: NotSentReason | null

  @column()
  declare sentByUserId: number | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
