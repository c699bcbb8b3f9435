import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'

export type MessageDirection = 'inbound' | 'outbound'

/** Lifecycle of a message. Inbound ones are `received`; outbound ones move forward only. */
export const MESSAGE_STATUSES = [
  'received',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]

/**
 * What a message is: Meta's own type names (WhatsApp and Instagram), plus `postback` (an
 * Instagram button tap), `system` and `unsupported` (anything the parser does not know).
 */
export type MessageType =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'file'
  | 'share'
  | 'story_mention'
  | 'interactive'
  | 'button'
  | 'order'
  | 'location'
  | 'reaction'
  | 'contacts'
  | 'system'
  | 'postback'
  | 'unsupported'

const SUBJECT = { attribute: 'customerId', kind: 'customer' }

/**
 * One message of a conversation. `body` is the text a person reads (the text, a caption, the
 * title of a tapped button…); `content` the rest of what Meta sent as JSON (media metadata,
 * location, order items, the message reacted to, referral…); `entities` what the AI extracted
 * (JSON). All three are sealed under the customer's subject key: read and write them as strings
 * (`JSON.stringify`/`JSON.parse`), or through `contentValue()` / `entitiesValue()`.
 */
export default class Message extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare conversationId: number

  @column()
  declare customerId: number

  @column()
  declare direction: MessageDirection

  @column()
  declare type: MessageType

  @encrypted({ merchant: 'merchantId', subject: SUBJECT })
  declare body: string | null

  @encrypted({ merchant: 'merchantId', subject: SUBJECT })
  declare content: string | null

  @encrypted({ merchant: 'merchantId', subject: SUBJECT })
  declare entities: string | null

  /** An `Intent` code of the gateway (`#conversations/ai/types`). */
  @column()
  declare intent: string | null

  @column()
  declare confidence: number | null

  /** wamid or Instagram mid: unique; statuses find outbound messages by it. */
  @column()
  declare metaMessageId: string | null

  @column()
  declare webhookEventId: number | null

  @column()
  declare status: MessageStatus

  @column.dateTime()
  declare statusAt: DateTime | null

  @column()
  declare errorCode: string | null

  @column()
  declare sentByUserId: number | null

  /** When Meta says it happened (the item's timestamp). */
  @column.dateTime()
  declare occurredAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  contentValue<T = Record<string, unknown>>(): T | null {
    return this.content ? (JSON.parse(this.content) as T) : null
  }

  entitiesValue<T = Record<string, unknown>>(): T | null {
    return this.entities ? (JSON.parse(this.entities) as T) : null
  }
}
