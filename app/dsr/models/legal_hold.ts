import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'

export const HOLD_SCOPES = ['subject', 'merchant'] as const
export type HoldScopeKind = (typeof HOLD_SCOPES)[number]
export const HOLD_SOURCES = ['manual', 'government_request', 'litigation', 'regulator'] as const
export type HoldSource = (typeof HOLD_SOURCES)[number]

/**
 * A legal hold over one subject (a customer of a merchant) or a whole merchant. While active
 * it blocks erasure and retention purges in its scope. The reasons are sealed under the platform
 * key: they must stay readable after the merchant's keys are shredded.
 */
export default class LegalHold extends BaseModel {
  static table = 'legal_holds'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare scope: HoldScopeKind

  @column()
  declare merchantId: number

  @column()
  declare customerId: number | null

  @encrypted()
  declare reason: string

  @column()
  declare source: HoldSource

  /** The source's own reference, e.g. the government request's id. */
  @column()
  declare sourceRef: string | null

  @column()
  declare placedByUserId: number | null

  @column.dateTime()
  declare placedAt: DateTime

  @column.dateTime()
  declare expiresAt: DateTime | null

  @column()
  declare liftRequestedByUserId: number | null

  @column.dateTime()
  declare liftRequestedAt: DateTime | null

  @encrypted()
  declare liftReason: string | null

  @column()
  declare liftedByUserId: number | null

  @column.dateTime()
  declare liftedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** Not lifted and not expired. */
  get isActive() {
    if (this.liftedAt) return false
    return !this.expiresAt || this.expiresAt > DateTime.now()
  }

  get status(): 'active' | 'lift_requested' | 'lifted' | 'expired' {
    if (this.liftedAt) return 'lifted'
    if (this.expiresAt && this.expiresAt <= DateTime.now()) return 'expired'
    return this.liftRequestedAt ? 'lift_requested' : 'active'
  }
}
