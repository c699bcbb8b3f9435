import { DateTime } from 'luxon'
import encryption from '@adonisjs/core/services/encryption'
import hash from '@adonisjs/core/services/hash'
import { BaseModel, beforeSave, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Merchant from '#merchants/models/merchant'
import MfaRecoveryCode from '#access/models/mfa_recovery_code'
import { FieldInvalid } from '#core/errors'
import { blindIndexOf, encrypted } from '#keys/encrypted_columns'

export type UserKind = 'staff' | 'merchant' | 'service'

/** The only form an e-mail is looked up or stored by, so a blind index can replace it later. */
export function normalizeEmail(email: string) {
  return email.trim().toLowerCase()
}

/** A person (or service principal) who signs in: Conversera staff, or a merchant's user. */
export default class User extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kind: UserKind

  @column()
  declare merchantId: number | null

  /* Sealed with #keys: the platform scope for staff, the merchant's scope for merchant users */
  @encrypted({
    merchant: 'merchantId',
    // Sign-in cannot know the merchant, so the index is platform-wide
    blindIndex: { attribute: 'emailBidx', kind: 'email', platformWide: true },
  })
  declare email: string

  @encrypted({ merchant: 'merchantId' })
  declare fullName: string

  @column({ serializeAs: null })
  declare emailBidx: string

  /** Null until the person accepts their invitation and sets it. */
  @column({ serializeAs: null })
  declare password: string | null

  /** Base32 TOTP secret; encrypted at rest with the app key. */
  @column({
    serializeAs: null,
    prepare: (value: string | null) => (value ? encryption.encrypt(value) : null),
    consume: (value: string | null) => (value ? encryption.decrypt<string>(value) : null),
  })
  declare mfaSecret: string | null

  @column.dateTime()
  declare mfaEnabledAt: DateTime | null

  @column.dateTime()
  declare lastLoginAt: DateTime | null

  @column.dateTime()
  declare disabledAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Merchant)
  declare merchant: BelongsTo<typeof Merchant>

  @hasMany(() => MfaRecoveryCode)
  declare recoveryCodes: HasMany<typeof MfaRecoveryCode>

  /** Passwords are only ever stored as scrypt hashes; assign the plain text and save. */
  @beforeSave()
  static async normalize(user: User) {
    if (user.$dirty.email) user.email = normalizeEmail(user.email)
    if (user.$dirty.password && user.password) user.password = await hash.make(user.password)
  }

  /** Every lookup by e-mail goes through here: the `email_bidx` blind index, never the sealed column. */
  static async findByEmail(email: string) {
    // Something that is not an e-mail address cannot match one
    const index = await blindIndexOf(this, 'email', normalizeEmail(email), null).catch((error) => {
      if (error instanceof FieldInvalid) return null
      throw error
    })
    return index ? this.query().where('email_bidx', index).first() : null
  }

  /** Staff act in the `platform` domain; merchant users only in their merchant's. */
  get domain() {
    return this.merchantId ? `merchant:${this.merchantId}` : 'platform'
  }

  /** Invited but not yet signed up: no password has been set. */
  get invitationPending() {
    return this.password === null
  }

  get mfaEnabled() {
    return this.mfaEnabledAt !== null && this.mfaSecret !== null
  }
}
