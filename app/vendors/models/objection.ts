import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Merchant from '#merchants/models/merchant'
import Subprocessor from '#vendors/models/subprocessor'
import ChangeNotice from '#vendors/models/change_notice'

export const OBJECTION_OUTCOMES = ['upheld', 'withdrawn', 'rejected'] as const
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number]
export type ObjectionStatus = 'open' | ObjectionOutcome

/** Statuses under which the merchant's data must not flow to the subprocessor. */
export const BLOCKING_OBJECTION_STATUSES: ObjectionStatus[] = ['open', 'upheld']

/** A merchant's objection to a change notice, and how staff resolved it. */
export default class Objection extends BaseModel {
  static table = 'subprocessor_objections'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare subprocessorId: number

  @column()
  declare noticeId: number

  @column()
  declare merchantId: number

  @column()
  declare reason: string

  @column()
  declare status: ObjectionStatus

  @column()
  declare raisedVia: 'portal' | 'api'

  @column()
  declare raisedByUserId: number | null

  @column()
  declare raisedByTokenId: number | null

  @column({ serializeAs: null })
  declare idempotencyKey: string | null

  @column()
  declare resolutionNote: string | null

  @column()
  declare resolvedByUserId: number | null

  @column.dateTime()
  declare resolvedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Merchant)
  declare merchant: BelongsTo<typeof Merchant>

  @belongsTo(() => Subprocessor)
  declare subprocessor: BelongsTo<typeof Subprocessor>

  @belongsTo(() => ChangeNotice, { foreignKey: 'noticeId' })
  declare notice: BelongsTo<typeof ChangeNotice>

  serializeForApi() {
    return {
      id: this.id,
      subprocessorId: this.subprocessorId,
      noticeId: this.noticeId,
      merchantId: this.merchantId,
      reason: this.reason,
      status: this.status,
      raisedVia: this.raisedVia,
      resolutionNote: this.resolutionNote,
      resolvedAt: this.resolvedAt?.toUTC().toISO() ?? null,
      createdAt: this.createdAt.toUTC().toISO(),
    }
  }
}
