import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

const json = { prepare: (value: unknown) => JSON.stringify(value) }

export interface ErasureCount {
  /** `postgres`, `bullmq`, `redis_cache`, `key_cache`, `file_storage`, `kms` */
  system: string
  /** The table, queue or store within the system. */
  place: string
  rows: number
  /** `deleted`, `stripped` (evidence rows kept without personal data), `destroyed` (keys). */
  action: string
}

export interface SubprocessorNote {
  name: string
  note: string
}

/** The evidence of one erasure; the deletion certificate is built from it alone. */
export default class DsrErasure extends BaseModel {
  static table = 'dsr_erasures'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare dsrCaseId: number | null

  @column()
  declare caseReference: string | null

  @column(json)
  declare counts: ErasureCount[]

  @column()
  declare subjectKeysDestroyed: number

  @column(json)
  declare evidence: Record<string, string>

  @column(json)
  declare subprocessorNotes: SubprocessorNote[]

  @column()
  declare outcome: 'erased' | 'no_data'

  @column.dateTime()
  declare startedAt: DateTime

  @column.dateTime()
  declare finishedAt: DateTime

  @column()
  declare certificateDocumentId: string | null
}
