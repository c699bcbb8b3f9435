import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export const RIGHTS_REQUEST_TYPES = [
  'erasure',
  'access',
  'rectification',
  'portability',
  'restriction',
  'objection',
  'unspecified',
] as const
export type RightsRequestType = (typeof RIGHTS_REQUEST_TYPES)[number]
export type RightsRequestSource = 'chat' | 'privacy_email'
export type RightsRequestState = 'awaiting_merchant' | 'converted' | 'dismissed'

/**
 * A request a customer made to the hub directly (in chat or by e-mail). The merchant decides:
 * it becomes a DSR case (`dsrCaseId`) or is dismissed. One per message.
 */
export default class CustomerRightsRequest extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare customerId: number | null

  @column()
  declare conversationId: number | null

  @column()
  declare messageId: number | null

  @column()
  declare requestType: RightsRequestType

  @column()
  declare source: RightsRequestSource

  @column()
  declare state: RightsRequestState

  @column()
  declare dsrCaseId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
