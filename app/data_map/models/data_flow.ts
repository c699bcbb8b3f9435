import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, manyToMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, ManyToMany } from '@adonisjs/lucid/types/relations'
import Subprocessor from '#vendors/models/subprocessor'
import type { FlowMechanism } from '#data_map/taxonomy'
import System from '#data_map/models/system'
import DataCategory from '#data_map/models/data_category'

/** Data leaving a system for a subprocessor in a country, under a transfer mechanism. */
export default class DataFlow extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare systemId: number

  @belongsTo(() => System)
  declare system: BelongsTo<typeof System>

  @column()
  declare subprocessorId: number

  @belongsTo(() => Subprocessor)
  declare subprocessor: BelongsTo<typeof Subprocessor>

  @column({ consume: (value: string) => value?.trim() })
  declare destinationCountry: string

  @column()
  declare transferMechanism: FlowMechanism

  @column()
  declare description: string

  @manyToMany(() => DataCategory, { pivotTable: 'data_flow_categories' })
  declare categories: ManyToMany<typeof DataCategory>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
