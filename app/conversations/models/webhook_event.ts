import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'

export const WEBHOOK_OBJECTS = ['whatsapp_business_account', 'instagram'] as const
export type WebhookObject = (typeof WEBHOOK_OBJECTS)[number]

export const WEBHOOK_EVENT_STATES = ['received', 'processed', 'unroutable', 'failed'] as const
export type WebhookEventState = (typeof WEBHOOK_EVENT_STATES)[number]

/**
 * What an event is, decided at the webhook from the item's shape (the worker parses the rest):
 * `message` (a customer's message of any type), `status` (of one of our messages), `echo` (a
 * message the business sent, reported back), `reaction`, `postback`, `read`, `referral` (an
 * Instagram ad or link opened a thread), `error` (an out-of-band WhatsApp error) and
 * `unsupported` (an item of no known shape, kept all the same).
 */
export type WebhookEventKind =
  | 'message'
  | 'status'
  | 'echo'
  | 'reaction'
  | 'postback'
  | 'read'
  | 'referral'
  | 'error'
  | 'unsupported'

/**
 * One item of a Meta webhook delivery, stored before the 200. The payload (the item with its
 * envelope: see `#conversations/webhooks/envelope`) is sealed under the platform key until the
 * worker routes the event, then under the merchant's, and cleared once the message is stored.
 */
export default class WebhookEvent extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare object: WebhookObject

  @column()
  declare kind: WebhookEventKind

  @column()
  declare dedupeKey: string

  /** phone_number_id or Instagram account id the event was addressed to. */
  @column()
  declare channelExternalId: string | null

  @encrypted({ merchant: 'merchantId' }, { serializeAs: null })
  declare payload: string | null

  @column()
  declare merchantId: number | null

  @column()
  declare channelConnectionId: number | null

  @column()
  declare state: WebhookEventState

  @column()
  declare attempts: number

  @column()
  declare errorCode: string | null

  @column.dateTime()
  declare receivedAt: DateTime

  @column.dateTime()
  declare processedAt: DateTime | null
}
