import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Subprocessor from '#vendors/models/subprocessor'
import type { SystemKind } from '#data_map/taxonomy'
import { jsonStringList } from '#data_map/models/json_list'
import DataFlow from '#data_map/models/data_flow'

/** Where data is stored or sent: the hub's Postgres, Redis, file storage, or an external API. */
export default class System extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare code: string

  @column()
  declare name: string

  @column()
  declare kind: SystemKind

  @column()
  declare description: string

  /** ISO 3166-1 alpha-2, where the system runs. */
  @column({ consume: (value: string) => value?.trim() })
  declare locationCountry: string

  /** The subprocessor operating it; null for systems Conversera runs itself. */
  @column()
  declare subprocessorId: number | null

  @belongsTo(() => Subprocessor)
  declare subprocessor: BelongsTo<typeof Subprocessor>

  @hasMany(() => DataFlow)
  declare flows: HasMany<typeof DataFlow>

  @column(jsonStringList)
  declare securityMeasures: string[]

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
