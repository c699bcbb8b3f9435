import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type OutboundEmailStatus = 'pending' | 'sent' | 'failed'

/** One queued e-mail; the address is looked up from `recipientUserId` by the relay. */
export default class OutboundEmail extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number | null

  @column()
  declare recipientUserId: number

  @column()
  declare template: string

  @column()
  declare subject: string

  @column()
  declare body: string

  @column()
  declare sourceType: string | null

  @column()
  declare sourceId: string | null

  @column()
  declare status: OutboundEmailStatus

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
