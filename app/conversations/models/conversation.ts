import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { Channel } from '#conversations/models/channel_connection'

export type ConversationMode = 'ai' | 'human'

/**
 * A customer's thread on one channel connection. `mode` says who answers: the AI, or the
 * merchant's agents once handed off (`handoffReason`: a `HandoffReason` code of the gateway).
 * `lastInboundAt` is when the customer last wrote: the 24-hour reply window counts from it.
 */
export default class Conversation extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare customerId: number

  @column()
  declare channel: Channel

  @column()
  declare channelConnectionId: number

  @column()
  declare mode: ConversationMode

  @column()
  declare handoffReason: string | null

  @column.dateTime()
  declare handedOffAt: DateTime | null

  @column.dateTime()
  declare lastInboundAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
