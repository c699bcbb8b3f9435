import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * active: seals new writes (the newest one); retiring: an older version still opened while a
 * rotation re-encrypts; retired: rotation done, material dropped; destroyed: merchant shredded.
 */
export type DataKeyState = 'active' | 'retiring' | 'retired' | 'destroyed'

export default class DataKey extends BaseModel {
  static table = 'data_keys'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kmsKeyId: number

  @column()
  declare scope: string

  @column()
  declare version: number

  @column({ serializeAs: null })
  declare wrapped: Buffer | null

  @column()
  declare state: DataKeyState

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime()
  declare retiredAt: DateTime | null

  @column.dateTime()
  declare destroyedAt: DateTime | null
}
