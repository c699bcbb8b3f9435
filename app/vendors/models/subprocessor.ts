import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export const SUBPROCESSOR_STATUSES = [
  'proposed',
  'notice_published',
  'effective',
  'retired',
] as const
export type SubprocessorStatus = (typeof SUBPROCESSOR_STATUSES)[number]

/**
 * Chapter V mechanisms a subprocessor's transfers may rely on. `none_eea` = processing stays in
 * the EEA, so no transfer tool is needed.
 */
export const TRANSFER_MECHANISMS = [
  'none_eea',
  'adequacy',
  'dpf',
  'scc_module_2',
  'scc_module_3',
  'bcr',
  'art49_derogation',
] as const
export type TransferMechanism = (typeof TRANSFER_MECHANISMS)[number]

export const TRANSFER_MECHANISM_LABELS: Record<TransferMechanism, string> = {
  none_eea: 'No transfer (EEA only)',
  adequacy: 'Adequacy decision (Art. 45)',
  dpf: 'EU-US Data Privacy Framework',
  scc_module_2: 'SCCs Module 2 (controller to processor)',
  scc_module_3: 'SCCs Module 3 (processor to processor)',
  bcr: 'Binding corporate rules (Art. 47)',
  art49_derogation: 'Art. 49 derogation (occasional only)',
}

/** Retention and training terms of an AI provider (regulatory digest item 38). */
export interface AiTerms {
  trainsOnCustomerData: boolean
  abuseLogRetentionDays: number | null
  zeroDataRetention: boolean
  notes: string | null
}

const jsonArray = {
  prepare: (value: string[]) => JSON.stringify(value ?? []),
  consume: (value: unknown) => (Array.isArray(value) ? (value as string[]) : []),
}

export default class Subprocessor extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare legalEntity: string | null

  @column()
  declare service: string

  @column()
  declare purpose: string

  @column(jsonArray)
  declare dataCategories: string[]

  /** Postgres `char(2)[]`; pg parses it into a string array. */
  @column({
    prepare: (value: string[]) => value ?? [],
    consume: (value: unknown) =>
      Array.isArray(value) ? (value as string[]).map((c) => c.trim()) : [],
  })
  declare processingCountries: string[]

  @column()
  declare transferMechanism: TransferMechanism

  @column.date()
  declare dpaSignedOn: DateTime | null

  @column({
    prepare: (value: AiTerms | null) => (value ? JSON.stringify(value) : null),
  })
  declare aiTerms: AiTerms | null

  @column()
  declare website: string | null

  /** Postal address and privacy contact of the subprocessor (SCC Annex III). */
  @column()
  declare address: string | null

  @column()
  declare privacyContact: string | null

  /** The DPF list entry (URL or id) and the date it was checked; `dpf` counts only with both. */
  @column()
  declare dpfCertificationEntry: string | null

  @column.date()
  declare dpfCertifiedOn: DateTime | null

  /** The PDPC cross-border transfer licence (PDPL Art. 14) for Egypt -> this subprocessor. */
  @column()
  declare pdplLicenceReference: string | null

  @column.date()
  declare pdplLicenceIssuedOn: DateTime | null

  /**
   * Material edits (the noticed fields, in `serializePublic` form) waiting for a change notice;
   * they apply only when that notice's objection window closes.
   */
  @column({
    prepare: (value: Record<string, unknown> | null) => (value ? JSON.stringify(value) : null),
  })
  declare stagedChange: Record<string, unknown> | null

  @column()
  declare status: SubprocessorStatus

  @column.dateTime()
  declare effectiveAt: DateTime | null

  @column.dateTime()
  declare retiredAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** The public, machine-readable shape (no internal notes). */
  serializePublic() {
    return {
      id: this.id,
      name: this.name,
      legalEntity: this.legalEntity,
      service: this.service,
      purpose: this.purpose,
      dataCategories: this.dataCategories,
      processingCountries: this.processingCountries,
      transferMechanism: this.transferMechanism,
      dpaSignedOn: this.dpaSignedOn?.toISODate() ?? null,
      aiTerms: this.aiTerms,
      address: this.address,
      privacyContact: this.privacyContact,
      dpfCertification: this.dpfCertificationEntry
        ? { entry: this.dpfCertificationEntry, certifiedOn: this.dpfCertifiedOn?.toISODate() }
        : null,
      status: this.status,
      effectiveAt: this.effectiveAt?.toUTC().toISO() ?? null,
      updatedAt: this.updatedAt.toUTC().toISO(),
    }
  }
}
