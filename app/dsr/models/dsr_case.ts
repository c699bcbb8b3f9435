import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'
import type { Jurisdiction } from '#dsr/services/deadlines'

export const DSR_TYPES = [
  'access',
  'portability',
  'erasure',
  'rectification',
  'restriction',
  'objection',
  'automated_decision_review',
] as const
export type DsrType = (typeof DSR_TYPES)[number]

export const DSR_STATUSES = [
  'received',
  'in_progress',
  'awaiting_merchant',
  'completed',
  'refused',
  'cancelled',
] as const
export type DsrStatus = (typeof DSR_STATUSES)[number]
export const OPEN_STATUSES: DsrStatus[] = ['received', 'in_progress', 'awaiting_merchant']
export const CLOSED_STATUSES: DsrStatus[] = ['completed', 'refused', 'cancelled']

/** Stable refusal codes merchants automate on (after the Ketch Forwarder spec). */
export const REFUSAL_CODES = [
  'no_match',
  'suspected_fraud',
  'outside_jurisdiction',
  'manifestly_unfounded',
  'legal_hold',
  'other',
] as const
export type RefusalCode = (typeof REFUSAL_CODES)[number]

export const DSR_SOURCES = ['api', 'portal', 'console', 'chat', 'privacy_email'] as const
export type DsrSource = (typeof DSR_SOURCES)[number]

/** Why an in-progress case waits for staff instead of running on the merchant's instruction. */
export type WaitingOn = 'legal_hold' | 'ambiguous_identity' | 'human_decision'

/** The subject identifiers a request may carry, as the API names them. */
export const SUBJECT_IDENTIFIERS = [
  'phone',
  'wa_id',
  'bsuid',
  'instagram_id',
  'email',
  'customer_ref',
] as const
export type SubjectIdentifier = (typeof SUBJECT_IDENTIFIERS)[number]
export type SubjectIdentifiers = Partial<Record<SubjectIdentifier, string>>

/** The customer fields a rectification may correct. */
export const RECTIFIABLE_FIELDS = ['display_name', 'email', 'phone'] as const
export type RectifiableField = (typeof RECTIFIABLE_FIELDS)[number]

/**
 * One data-subject request, forwarded by its controller (the merchant). Identifiers, the
 * corrected values, notes and refusal text are sealed under the merchant's key; identifiers
 * keep blind indexes (same keys as the customers' own) so the locator and the duplicate check
 * match them without decrypting.
 */
export default class DsrCase extends BaseModel {
  static table = 'dsr_cases'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare reference: string

  @column()
  declare merchantId: number

  @column()
  declare type: DsrType

  @column()
  declare status: DsrStatus

  @column()
  declare waitingOn: WaitingOn | null

  @column()
  declare source: DsrSource

  @encrypted({
    merchant: 'merchantId',
    blindIndex: { attribute: 'subjectPhoneBidx', kind: 'phone' },
  })
  declare subjectPhone: string | null

  @column({ serializeAs: null })
  declare subjectPhoneBidx: string | null

  @encrypted({
    merchant: 'merchantId',
    blindIndex: { attribute: 'subjectWaIdBidx', kind: 'wa_id' },
  })
  declare subjectWaId: string | null

  @column({ serializeAs: null })
  declare subjectWaIdBidx: string | null

  @encrypted({
    merchant: 'merchantId',
    blindIndex: { attribute: 'subjectBsuidBidx', kind: 'wa_id' },
  })
  declare subjectBsuid: string | null

  @column({ serializeAs: null })
  declare subjectBsuidBidx: string | null

  @encrypted({
    merchant: 'merchantId',
    blindIndex: { attribute: 'subjectInstagramIdBidx', kind: 'instagram_id' },
  })
  declare subjectInstagramId: string | null

  @column({ serializeAs: null })
  declare subjectInstagramIdBidx: string | null

  @encrypted({
    merchant: 'merchantId',
    blindIndex: { attribute: 'subjectEmailBidx', kind: 'email' },
  })
  declare subjectEmail: string | null

  @column({ serializeAs: null })
  declare subjectEmailBidx: string | null

  @encrypted({ merchant: 'merchantId' })
  declare subjectCustomerRef: string | null

  /** The located customer, when the identifiers matched exactly one. */
  @column()
  declare customerId: number | null

  @column()
  declare identityVerified: boolean

  /** JSON of the corrected values (rectification only). */
  @encrypted({ merchant: 'merchantId' })
  declare rectificationValues: string | null

  @encrypted({ merchant: 'merchantId' })
  declare notes: string | null

  @column.date()
  declare receivedOn: DateTime

  @column()
  declare jurisdiction: Jurisdiction

  /** The first Art. 12(3) deadline, kept when an extension moves `dueAt`. */
  @column.date()
  declare originalDueAt: DateTime

  @column.date()
  declare dueAt: DateTime

  @column.date()
  declare internalDueAt: DateTime

  @column()
  declare extensionMonths: number | null

  @column()
  declare extensionReason: string | null

  @column.dateTime()
  declare extendedAt: DateTime | null

  /** Rows found by the locator; null until located. */
  @column()
  declare recordsFound: number | null

  /** The active legal hold that stops the case, if any. */
  @column()
  declare legalHoldId: number | null

  @column()
  declare refusalCode: RefusalCode | null

  @encrypted({ merchant: 'merchantId' })
  declare refusalText: string | null

  @column()
  declare assigneeUserId: number | null

  @column()
  declare createdByUserId: number | null

  @column()
  declare apiTokenId: number | null

  @column({ serializeAs: null })
  declare idempotencyKey: string | null

  @column()
  declare customerRightsRequestId: number | null

  /** Staff let a case that needs a human decision (objection, automated-decision review) run. */
  @column.dateTime()
  declare staffApprovedAt: DateTime | null

  @column()
  declare staffApprovedByUserId: number | null

  /** The signed `dsr-case` report issued when the case closed. */
  @column()
  declare reportDocumentId: string | null

  @column.dateTime()
  declare closedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get isOpen() {
    return OPEN_STATUSES.includes(this.status)
  }

  get isOnHold() {
    return Boolean(this.legalHoldId)
  }

  /** The identifiers the request carries, by their API names. */
  get subject(): SubjectIdentifiers {
    const pairs: [SubjectIdentifier, string | null][] = [
      ['phone', this.subjectPhone],
      ['wa_id', this.subjectWaId],
      ['bsuid', this.subjectBsuid],
      ['instagram_id', this.subjectInstagramId],
      ['email', this.subjectEmail],
      ['customer_ref', this.subjectCustomerRef],
    ]
    return Object.fromEntries(pairs.filter(([, value]) => value !== null)) as SubjectIdentifiers
  }

  /** The corrected values of a rectification, parsed. */
  get rectification(): Record<string, string> | null {
    return this.rectificationValues ? JSON.parse(this.rectificationValues) : null
  }
}
