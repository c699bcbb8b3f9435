import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Merchant from '#merchants/models/merchant'

/** What the hub signs: everything a verifier needs to say what a PDF is. */
export interface ReportManifest {
  version: 1
  documentId: string
  kind: string
  title: string
  sha256: string
  size: number
  generatedAt: string
  generatedBy: string
  organisation: string
  merchant: { id: number; slug: string } | null
  period: string | null
}

/** A generated, stored and signed report. Never updated: it is evidence. */
export default class Report extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare documentId: string

  @column()
  declare kind: string

  @column()
  declare title: string

  @column()
  declare merchantId: number | null

  @column()
  declare period: string | null

  @column({ columnName: 'sha256' })
  declare sha256: string

  @column()
  declare sizeBytes: number

  @column({ prepare: (value: ReportManifest) => JSON.stringify(value) })
  declare manifest: ReportManifest

  @column({ serializeAs: null })
  declare jws: string

  @column({ serializeAs: null })
  declare filePath: string

  @column()
  declare generatedBy: string

  @column()
  declare generatedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => Merchant)
  declare merchant: BelongsTo<typeof Merchant>
}
