import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type SccSide = 'exporter' | 'importer'
export type SccRole = 'controller' | 'processor'

/** A party to an SCC agreement: an original signatory or one that acceded under Clause 7. */
export default class SccParty extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare agreementId: number

  @column()
  declare side: SccSide

  @column()
  declare role: SccRole

  @column()
  declare name: string

  @column()
  declare address: string

  @column({ consume: (value: string) => value?.trim() })
  declare countryCode: string

  @column()
  declare contact: string

  @column()
  declare activities: string

  @column()
  declare merchantId: number | null

  @column()
  declare subprocessorId: number | null

  @column()
  declare joinedVia: 'signature' | 'accession'

  @column.date()
  declare joinedOn: DateTime

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
