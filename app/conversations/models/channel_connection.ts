import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'

export const CHANNELS = ['whatsapp', 'instagram'] as const
export type Channel = (typeof CHANNELS)[number]
export type ChannelStatus = 'active' | 'disconnected'

/**
 * A merchant's WhatsApp number or Instagram account. `externalId` (phone_number_id or Instagram
 * account id) routes every webhook to the merchant; the access token is sealed under the
 * merchant's key, and without one the outbox keeps replies unsent.
 */
export default class ChannelConnection extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare channel: Channel

  @column()
  declare externalId: string

  @column()
  declare label: string | null

  @encrypted({ merchant: 'merchantId' }, { serializeAs: null })
  declare accessToken: string | null

  @column()
  declare status: ChannelStatus

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
