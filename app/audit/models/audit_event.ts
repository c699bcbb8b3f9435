import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type AuditOutcome = 'success' | 'denied' | 'failure'
export type ActorType = 'user' | 'token' | 'service' | 'system' | 'anonymous'

/** One link of the audit chain. Rows are written only by AuditTrail and never changed. */
export default class AuditEvent extends BaseModel {
  static table = 'audit_events'

  // bigserial comes back from pg as a string
  @column({ isPrimary: true, consume: (value) => Number(value) })
  declare id: number

  @column.dateTime()
  declare occurredAt: DateTime

  @column()
  declare action: string

  @column()
  declare outcome: AuditOutcome

  @column()
  declare actorType: ActorType

  @column()
  declare actorId: string | null

  @column()
  declare merchantId: number | null

  @column()
  declare targetType: string | null

  @column()
  declare targetId: string | null

  @column()
  declare purpose: string | null

  @column()
  declare requestId: string | null

  @column()
  declare meta: Record<string, unknown>

  @column()
  declare prevHash: string

  @column()
  declare hash: string
}
