import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A data subject's key, wrapped by a data key version; `wrapped` is null once destroyed. */
export default class SubjectKey extends BaseModel {
  static table = 'subject_keys'

  // bigserial comes back from pg as a string
  @column({ isPrimary: true, consume: (value) => Number(value) })
  declare id: number

  @column()
  declare scope: string

  @column()
  declare merchantId: number | null

  @column()
  declare subjectRef: string

  @column()
  declare dataKeyVersion: number | null

  @column({ serializeAs: null })
  declare wrapped: Buffer | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime()
  declare rewrappedAt: DateTime | null

  @column.dateTime()
  declare destroyedAt: DateTime | null
}
