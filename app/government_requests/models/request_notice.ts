import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type NoticeStatus = 'sent' | 'deferred'

/**
 * The controller's notice of a request about its customers (SCC Cl. 15.1): sent at once, or
 * deferred under a gag order until it lapses; both dates stay on the record.
 */
export default class RequestNotice extends BaseModel {
  static table = 'government_request_notices'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare requestId: number

  @column()
  declare merchantId: number

  @column()
  declare status: NoticeStatus

  @column.date()
  declare deferredUntil: DateTime | null

  @column.dateTime()
  declare deferredAt: DateTime | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column()
  declare emails: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
