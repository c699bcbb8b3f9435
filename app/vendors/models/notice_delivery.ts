import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Merchant from '#merchants/models/merchant'

export type EmailStatus = 'pending' | 'queued' | 'no_recipients'

/** Proof that one merchant was told about one change notice, in the portal and by e-mail. */
export default class NoticeDelivery extends BaseModel {
  static table = 'subprocessor_notice_deliveries'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare noticeId: number

  @column()
  declare merchantId: number

  @column.dateTime()
  declare portalNotifiedAt: DateTime | null

  @column()
  declare emailStatus: EmailStatus

  @column()
  declare emailRecipients: number

  @column.dateTime()
  declare emailedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Merchant)
  declare merchant: BelongsTo<typeof Merchant>
}
