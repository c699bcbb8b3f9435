import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export interface RetentionEvidence {
  table: string
  category: string
  purged: number
  held: number
  /** Files outside Postgres removed because their row is gone (tables that declare `files`). */
  filesRemoved?: number
  /** Merchant id (or "*") → cutoff ISO timestamp used. */
  cutoffs: Record<string, string>
}

/** Evidence of one purge run: what was checked and how many rows went (counts only). */
export default class RetentionRun extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare status: 'running' | 'succeeded' | 'failed'

  @column()
  declare triggeredBy: string

  @column.dateTime()
  declare startedAt: DateTime

  @column.dateTime()
  declare finishedAt: DateTime | null

  @column()
  declare tablesChecked: number

  @column()
  declare rowsPurged: number

  @column()
  declare rowsHeld: number

  @column({ prepare: (value: RetentionEvidence[]) => JSON.stringify(value ?? []) })
  declare evidence: RetentionEvidence[]

  @column()
  declare errorCode: string | null
}
