import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type TiaStatus = 'draft' | 'approved' | 'superseded'
export const RISK_RATINGS = ['low', 'medium', 'high'] as const
export type RiskRating = (typeof RISK_RATINGS)[number]
export type DueState = 'ok' | 'due_soon' | 'overdue'

/** The six steps of EDPB Recommendations 01/2020 v2, as the form and the PDF label them. */
export const TIA_STEPS = [
  ['step1Transfers', 'Step 1: know your transfers (incl. onward transfers)'],
  ['step2Tool', 'Step 2: the transfer tool relied on'],
  ['step3Assessment', "Step 3: the destination's law and practice"],
  ['step4Measures', 'Step 4: supplementary measures'],
  ['step5Procedural', 'Step 5: procedural steps'],
  ['step6Reevaluation', 'Step 6: re-evaluation at appropriate intervals'],
] as const
export type TiaStepField = (typeof TIA_STEPS)[number][0]

export const SUPPLEMENTARY_MEASURES = {
  encryption_in_transit: 'Encryption in transit (TLS 1.2+)',
  encryption_at_rest: 'Encryption at rest with keys held by the exporter side',
  pseudonymisation: 'Pseudonymisation / minimisation before transfer',
  access_controls: 'Role-based access control and MFA',
  government_request_policy: 'Government-request policy: challenge, minimise, notify',
  transparency_reports: 'Transparency reporting on authority requests',
  zero_retention: 'Zero or short retention at the importer',
  contractual_audit: 'Contractual audit and notification rights',
} as const
export type SupplementaryMeasure = keyof typeof SUPPLEMENTARY_MEASURES

/** Measures that are hub features: selectable and printed only while the claim is backed. */
export const MEASURE_CLAIMS: Partial<Record<SupplementaryMeasure, string>> = {
  encryption_at_rest: 'field_encryption',
  access_controls: 'access_control',
  pseudonymisation: 'minimisation',
  government_request_policy: 'government_request_register',
  transparency_reports: 'transparency_reports',
}

/** A transfer impact assessment for one destination country. */
export default class TransferImpactAssessment extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column({ consume: (value: string) => value?.trim() })
  declare countryCode: string

  @column()
  declare title: string

  @column()
  declare status: TiaStatus

  @column()
  declare step1Transfers: string | null

  @column()
  declare step2Tool: string | null

  @column()
  declare step3Assessment: string | null

  @column()
  declare step4Measures: string | null

  @column()
  declare step5Procedural: string | null

  @column()
  declare step6Reevaluation: string | null

  @column()
  declare riskRating: RiskRating | null

  @column({ prepare: (value: string[]) => JSON.stringify(value ?? []) })
  declare supplementaryMeasures: SupplementaryMeasure[]

  @column.date()
  declare reviewedOn: DateTime | null

  @column.date()
  declare nextReviewOn: DateTime | null

  /** Who drafted it; approval must come from someone else (segregation of duties). */
  @column()
  declare preparedByUserId: number | null

  @column()
  declare approvedByUserId: number | null

  @column.dateTime()
  declare approvedAt: DateTime | null

  @column()
  declare dueState: DueState

  @column.dateTime()
  declare dueCheckedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** Approved and not past its next review date. */
  isCurrent(today: DateTime = DateTime.utc().startOf('day')) {
    return this.status === 'approved' && this.nextReviewOn !== null && this.nextReviewOn >= today
  }
}
