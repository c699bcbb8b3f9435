import ChannelConnection, { type Channel } from '#conversations/models/channel_connection'
import type Merchant from '#merchants/models/merchant'
import { saveAudited } from '#audit/services/audited_write'
import type { AuditActor } from '#audit/actor'
import { Conflict, FieldInvalid } from '#core/errors'

export interface ConnectChannel {
  channel: Channel
  /** phone_number_id (WhatsApp) or Instagram professional account id. */
  externalId: string
  label?: string | null
  /** Graph API token; without one, replies wait in the outbox. Kept as is when omitted. */
  accessToken?: string | null
}

/**
 * Connects a merchant's WhatsApp number or Instagram account (or reconnects it, with a new
 * token): from then on its webhook events route to the merchant. One id belongs to one merchant;
 * connecting another merchant's id is refused. Audited (`conversations.channel_connected`); the
 * token is sealed under the merchant's key and never enters the audit trail.
 */
export async function connectChannel(
  merchant: Merchant,
  input: ConnectChannel,
  actor?: AuditActor
) {
  const externalId = input.externalId.trim()
  if (!/^\d{1,64}$/.test(externalId)) {
    throw new FieldInvalid(
      'externalId',
      'A phone number id or Instagram account id is digits only.',
      'conversations_channel_id_digits'
    )
  }
  const existing = await ChannelConnection.query()
    .where('channel', input.channel)
    .where('external_id', externalId)
    .first()
  if (existing && existing.merchantId !== merchant.id) {
    throw new Conflict('channel_taken', 'This channel is connected to another merchant.')
  }
  const connection = existing ?? new ChannelConnection()
  connection.merge({
    merchantId: merchant.id,
    channel: input.channel,
    externalId,
    status: 'active',
  })
  if (input.label !== undefined) connection.label = input.label
  if (input.accessToken !== undefined) connection.accessToken = input.accessToken || null
  return saveAudited(
    connection,
    {
      action: existing ? 'conversations.channel_reconnected' : 'conversations.channel_connected',
      actor,
      merchantId: merchant.id,
      targetType: 'channel_connection',
      meta: {
        channel: input.channel,
        externalId,
        token: connection.accessToken ? 'set' : 'none',
      },
    },
    { unique: { field: 'externalId', message: 'This channel is already connected.' } }
  )
}
