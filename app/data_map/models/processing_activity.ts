import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, manyToMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, ManyToMany } from '@adonisjs/lucid/types/relations'
import Merchant from '#merchants/models/merchant'
import { jsonStringList } from '#data_map/models/json_list'
import Purpose from '#data_map/models/purpose'
import DataCategory from '#data_map/models/data_category'
import DataSubjectCategory from '#data_map/models/data_subject_category'
import System from '#data_map/models/system'

/**
 * One Art. 30(2) processing activity. Conversera is the processor; the controller is
 * `merchant` or, when merchantId is null, every merchant on the platform.
 */
export default class ProcessingActivity extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare code: string

  @column()
  declare name: string

  @column()
  declare description: string

  @column()
  declare merchantId: number | null

  @belongsTo(() => Merchant)
  declare merchant: BelongsTo<typeof Merchant>

  @column()
  declare purposeId: number

  @belongsTo(() => Purpose)
  declare purpose: BelongsTo<typeof Purpose>

  @column()
  declare retentionDays: number

  @column()
  declare retentionNote: string

  @column(jsonStringList)
  declare securityMeasures: string[]

  @column()
  declare status: 'active' | 'retired'

  @manyToMany(() => DataCategory, {
    pivotTable: 'processing_activity_categories',
    pivotRelatedForeignKey: 'data_category_id',
  })
  declare categories: ManyToMany<typeof DataCategory>

  @manyToMany(() => DataSubjectCategory, {
    pivotTable: 'processing_activity_subjects',
    pivotRelatedForeignKey: 'data_subject_category_id',
  })
  declare subjects: ManyToMany<typeof DataSubjectCategory>

  @manyToMany(() => System, { pivotTable: 'processing_activity_systems' })
  declare systems: ManyToMany<typeof System>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
