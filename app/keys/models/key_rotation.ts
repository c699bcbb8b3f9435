import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type RotationStatus = 'queued' | 'running' | 'completed' | 'failed'

/** One data-key rotation of a scope and how far its re-wrap / re-encrypt job has got. */
export default class KeyRotation extends BaseModel {
  static table = 'key_rotations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare scope: string

  @column()
  declare merchantId: number | null

  @column()
  declare fromVersion: number

  @column()
  declare toVersion: number

  @column()
  declare status: RotationStatus

  @column()
  declare subjectKeysTotal: number

  @column()
  declare subjectKeysDone: number

  @column()
  declare rowsTotal: number

  @column()
  declare rowsDone: number

  @column()
  declare requestedBy: string | null

  @column()
  declare error: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime()
  declare startedAt: DateTime | null

  @column.dateTime()
  declare finishedAt: DateTime | null

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get percent() {
    const total = this.subjectKeysTotal + this.rowsTotal
    if (this.status === 'completed') return 100
    if (!total) return 0
    return Math.floor(((this.subjectKeysDone + this.rowsDone) * 100) / total)
  }
}
