import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { encrypted } from '#keys/encrypted_columns'
import type {
  Assessment,
  AuthorityType,
  DeadlineRule,
  InstrumentType,
  RequestStatus,
  ScopeIdentifier,
} from '#government_requests/policy'
import { jsonList, jsonObject } from '#government_requests/models/json_columns'
import Decision from '#government_requests/models/decision'
import Disclosure from '#government_requests/models/disclosure'
import RequestNotice from '#government_requests/models/request_notice'

/**
 * One request from a public authority: who sent it, under which instrument, what it asks for,
 * by when, and where it stands. The officer's contact and the identifiers in scope are sealed
 * under the platform key.
 */
export default class GovernmentRequest extends BaseModel {
  static table = 'government_requests'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare reference: string

  @column()
  declare status: RequestStatus

  @column()
  declare authorityName: string

  @column()
  declare authorityCountry: string

  @column()
  declare authorityType: AuthorityType

  @encrypted()
  declare authorityContact: string | null

  @column()
  declare contactVerification: string | null

  @column.dateTime()
  declare contactVerifiedAt: DateTime | null

  @column()
  declare instrumentType: InstrumentType

  @column()
  declare instrumentReference: string | null

  @column()
  declare instrumentDocumentPath: string | null

  @encrypted()
  declare instrumentDocumentName: string | null

  @column({ columnName: 'instrument_document_sha256' })
  declare instrumentDocumentSha256: string | null

  @column()
  declare instrumentDocumentSize: number | null

  @column()
  declare legalBasis: string

  @column.dateTime()
  declare receivedAt: DateTime

  @column()
  declare deadlineRule: DeadlineRule

  @column.dateTime()
  declare dueAt: DateTime

  /** JSON list of `ScopeIdentifier`, sealed; read through `identifiers`. */
  @encrypted()
  declare scopeIdentifiers: string | null

  @column()
  declare scopeIdentifierCount: number

  @column(jsonList<number>())
  declare scopeMerchantIds: number[]

  @column(jsonList<string>())
  declare scopeCategories: string[]

  @column.date()
  declare scopeFrom: DateTime | null

  @column.date()
  declare scopeTo: DateTime | null

  @column()
  declare gagOrder: boolean

  @column.date()
  declare gagUntil: DateTime | null

  /** A criminal investigation of Conversera's own conduct: outside this process (policy). */
  @column()
  declare ownConduct: boolean

  /** Preservation requests: the legal hold over the scope lasts until this day. */
  @column.date()
  declare preserveUntil: DateTime | null

  @column(jsonObject<Assessment>())
  declare assessment: Assessment

  @column()
  declare assessedByUserId: number | null

  @column.dateTime()
  declare assessedAt: DateTime | null

  @column()
  declare createdByUserId: number | null

  @column.dateTime()
  declare answeredAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => Decision, { foreignKey: 'requestId' })
  declare decisions: HasMany<typeof Decision>

  @hasMany(() => Disclosure, { foreignKey: 'requestId' })
  declare disclosures: HasMany<typeof Disclosure>

  @hasMany(() => RequestNotice, { foreignKey: 'requestId' })
  declare notices: HasMany<typeof RequestNotice>

  get identifiers(): ScopeIdentifier[] {
    return this.scopeIdentifiers ? (JSON.parse(this.scopeIdentifiers) as ScopeIdentifier[]) : []
  }

  get emergency() {
    return this.instrumentType === 'emergency_request'
  }

  get preservation() {
    return this.instrumentType === 'preservation_request'
  }

  get informal() {
    return this.instrumentType === 'informal_request'
  }

  /** Overdue while the legal team still owes an answer. */
  get overdue() {
    return !this.answeredAt && this.status !== 'referred' && this.dueAt < DateTime.utc()
  }
}
