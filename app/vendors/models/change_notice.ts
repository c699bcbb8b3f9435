import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Subprocessor from '#vendors/models/subprocessor'
import NoticeDelivery from '#vendors/models/notice_delivery'

export type ChangeNoticeKind = 'addition' | 'change' | 'retirement'

export interface FieldChange {
  field: string
  from: unknown
  to: unknown
}

/** A published addition, change or retirement of a subprocessor, as merchants were told it. */
export default class ChangeNotice extends BaseModel {
  static table = 'subprocessor_change_notices'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare subprocessorId: number

  @column()
  declare kind: ChangeNoticeKind

  @column()
  declare summary: string

  /** The subprocessor's public record at publication (`Subprocessor.serializePublic()`). */
  @column({ prepare: (value: unknown) => JSON.stringify(value) })
  declare snapshot: Record<string, unknown>

  @column({ prepare: (value: FieldChange[]) => JSON.stringify(value ?? []) })
  declare changes: FieldChange[]

  @column.dateTime()
  declare publishedAt: DateTime

  @column()
  declare objectionWindowDays: number | null

  @column.dateTime()
  declare objectionDeadline: DateTime | null

  @column()
  declare publishedByUserId: number | null

  /** For a `change`: when its values were applied to the subprocessor (after the window). */
  @column.dateTime()
  declare appliedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Subprocessor)
  declare subprocessor: BelongsTo<typeof Subprocessor>

  @hasMany(() => NoticeDelivery, { foreignKey: 'noticeId' })
  declare deliveries: HasMany<typeof NoticeDelivery>

  /** Objections are accepted until the deadline (inclusive of its instant). */
  isObjectionWindowOpen(at: DateTime = DateTime.utc()) {
    return this.objectionDeadline !== null && at <= this.objectionDeadline
  }
}
