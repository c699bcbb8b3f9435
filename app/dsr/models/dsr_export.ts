import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export interface ExportSummary {
  tables: Array<{ table: string; module: string; rows: number; categories: string[] }>
  /** Values that could not be opened (their key is gone): counted, never guessed. */
  unreadable: number
}

/** An access/portability package: the file is sealed under the merchant's key in STORAGE_PATH. */
export default class DsrExport extends BaseModel {
  static table = 'dsr_exports'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare dsrCaseId: number | null

  @column()
  declare merchantTerminationId: number | null

  @column()
  declare customerId: number | null

  @column()
  declare caseReference: string | null

  @column()
  declare format: 'json' | 'csv'

  @column()
  declare records: number

  @column({ prepare: (value: ExportSummary) => JSON.stringify(value) })
  declare summary: ExportSummary

  @column({ columnName: 'sha256' })
  declare sha256: string

  @column()
  declare sizeBytes: number

  @column({ serializeAs: null })
  declare filePath: string

  @column()
  declare downloads: number

  @column.dateTime()
  declare expiresAt: DateTime

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
