import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A signed statement of the audit chain head at one moment; append-only like the chain. */
export default class AuditCheckpoint extends BaseModel {
  static table = 'audit_checkpoints'

  @column({ isPrimary: true, consume: (value) => Number(value) })
  declare id: number

  @column({ consume: (value) => Number(value) })
  declare eventId: number

  @column()
  declare eventHash: string

  @column.dateTime()
  declare takenAt: DateTime

  /** Detached ES256 JWS (the report-signing key) over the canonical checkpoint claim. */
  @column()
  declare signature: string

  @column()
  declare keyId: string
}
