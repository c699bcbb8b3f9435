import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import DataKey from '#keys/models/data_key'
import Merchant from '#merchants/models/merchant'

export type KmsKeyState = 'enabled' | 'pending_deletion' | 'destroyed'

/** The KMS key of one scope (a merchant or the platform). Holds ids and wrapped blobs only. */
export default class KmsKey extends BaseModel {
  static table = 'kms_keys'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare scope: string

  @column()
  declare merchantId: number | null

  @column()
  declare provider: 'local' | 'aws'

  @column()
  declare keyId: string

  @column()
  declare keyAlias: string | null

  @column()
  declare state: KmsKeyState

  @column({ serializeAs: null })
  declare indexRootWrapped: Buffer | null

  @column()
  declare revocationEpoch: number

  @column.dateTime()
  declare deletionDate: DateTime | null

  @column.dateTime()
  declare destroyedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => DataKey)
  declare dataKeys: HasMany<typeof DataKey>

  @belongsTo(() => Merchant)
  declare merchant: BelongsTo<typeof Merchant>
}
