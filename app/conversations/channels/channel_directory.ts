import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import ChannelConnection, { type Channel } from '#conversations/models/channel_connection'
import type { WebhookObject } from '#conversations/models/webhook_event'

export function channelOfObject(object: WebhookObject): Channel {
  return object === 'instagram' ? 'instagram' : 'whatsapp'
}

/**
 * The active connection an event is addressed to (phone_number_id or Instagram account id), or
 * null: then the event is unroutable and waits for the channel to be connected.
 */
export async function connectionFor(
  object: WebhookObject,
  externalId: string | null,
  trx?: TransactionClientContract
) {
  if (!externalId) return null
  return ChannelConnection.query({ client: trx })
    .where('channel', channelOfObject(object))
    .where('external_id', externalId)
    .where('status', 'active')
    .first()
}
