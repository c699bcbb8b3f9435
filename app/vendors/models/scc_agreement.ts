import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Subprocessor from '#vendors/models/subprocessor'
import SccParty from '#vendors/models/scc_party'

export const SCC_MODULES = {
  1: 'Module 1: controller to controller',
  2: 'Module 2: controller to processor',
  3: 'Module 3: processor to processor',
  4: 'Module 4: processor to controller',
} as const
export type SccModule = keyof typeof SCC_MODULES

/** One set of SCCs (Decision 2021/914) and, through `parties`, who is bound by it. */
export default class SccAgreement extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare reference: string

  @column()
  declare title: string

  @column()
  declare module: SccModule

  @column.date()
  declare signedOn: DateTime

  @column()
  declare status: 'active' | 'terminated'

  @column()
  declare dockingClause: boolean

  @column()
  declare governingLawCountry: string

  @column()
  declare supervisoryAuthority: string

  @column()
  declare transferFrequency: string

  @column()
  declare processingNature: string

  /** The importing subprocessor (Module 3). */
  @column()
  declare subprocessorId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Subprocessor)
  declare subprocessor: BelongsTo<typeof Subprocessor>

  @hasMany(() => SccParty, { foreignKey: 'agreementId' })
  declare parties: HasMany<typeof SccParty>

  get moduleLabel() {
    return SCC_MODULES[this.module]
  }
}
