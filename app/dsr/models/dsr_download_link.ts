import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A single-use, expiring link to a package; only the token's SHA-256 is stored. */
export default class DsrDownloadLink extends BaseModel {
  static table = 'dsr_download_links'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare dsrExportId: number

  @column({ serializeAs: null })
  declare tokenHash: string

  @column.dateTime()
  declare expiresAt: DateTime

  @column.dateTime()
  declare consumedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
