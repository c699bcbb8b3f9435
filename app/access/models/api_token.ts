import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Merchant from '#merchants/models/merchant'

export const TOKEN_STATUSES = ['active', 'revoked', 'expired'] as const
export type TokenStatus = (typeof TOKEN_STATUSES)[number]

/** A merchant's API access token. Only the hash of its secret half is stored. */
export default class ApiToken extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare createdBy: number | null

  @column()
  declare publicId: string

  @column({ serializeAs: null })
  declare secretHash: string

  @column()
  declare name: string

  @column({ prepare: (value: string[]) => JSON.stringify(value) })
  declare scopes: string[]

  @column.dateTime()
  declare expiresAt: DateTime | null

  @column.dateTime()
  declare revokedAt: DateTime | null

  @column()
  declare revokedBy: number | null

  @column.dateTime()
  declare lastUsedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => Merchant)
  declare merchant: BelongsTo<typeof Merchant>

  get status(): TokenStatus {
    if (this.revokedAt) return 'revoked'
    if (this.expiresAt && this.expiresAt <= DateTime.now()) return 'expired'
    return 'active'
  }
}
