import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A single-use link for a new user to set their password and enrol MFA; only its hash is kept. */
export default class UserInvitation extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column({ serializeAs: null })
  declare tokenHash: string

  @column.dateTime()
  declare expiresAt: DateTime

  @column.dateTime()
  declare acceptedAt: DateTime | null

  /** Replaced by a newer invitation, or the user was disabled. */
  @column.dateTime()
  declare revokedAt: DateTime | null

  @column()
  declare createdBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  get isOpen() {
    return !this.acceptedAt && !this.revokedAt && this.expiresAt > DateTime.now()
  }
}
