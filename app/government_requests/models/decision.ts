import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { ChallengeResult, Outcome } from '#government_requests/policy'
import { jsonList } from '#government_requests/models/json_columns'

export type DecisionStatus = 'proposed' | 'approved' | 'superseded'

/**
 * A proposed answer to a request (reject, challenge, narrow, comply) with its reasons and, for
 * narrow and comply, the approved scope: which identifiers (by their index in the request's
 * list), merchants and categories may be produced. A second person approves it.
 */
export default class Decision extends BaseModel {
  static table = 'government_request_decisions'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare requestId: number

  @column()
  declare outcome: Outcome

  @column()
  declare reasons: string

  @column()
  declare status: DecisionStatus

  @column(jsonList<number>())
  declare approvedIdentifiers: number[]

  @column(jsonList<number>())
  declare approvedMerchantIds: number[]

  @column(jsonList<string>())
  declare approvedCategories: string[]

  @column()
  declare proposedByUserId: number | null

  @column.dateTime()
  declare proposedAt: DateTime

  @column()
  declare approvedByUserId: number | null

  @column.dateTime()
  declare approvedAt: DateTime | null

  @column()
  declare challengeResult: ChallengeResult | null

  @column.dateTime()
  declare challengeResolvedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
