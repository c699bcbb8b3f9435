import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'
import { jsonList } from '#government_requests/models/json_columns'

/** What one subject's fields looked like in a package: values are never kept, only hashes. */
export interface DisclosedItem {
  /** Index of the identifier in the request's scope. */
  identifier: number
  merchantId: number
  /** The customer records found for it (their opaque ids). */
  subjects: number[]
  /** Category code -> SHA-256 of the canonical JSON of the values produced. */
  fields: Record<string, string>
}

/**
 * A package that left the hub: which fields about which subjects, to whom, when, prepared and
 * approved by whom, and the hashes of what was sent. `items` is sealed (it names subjects).
 */
export default class Disclosure extends BaseModel {
  static table = 'government_request_disclosures'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare requestId: number

  @column()
  declare decisionId: number

  @column()
  declare recipient: string

  /** JSON list of `DisclosedItem`, sealed; read through `disclosedItems`. */
  @encrypted()
  declare items: string

  @column()
  declare subjectCount: number

  @column(jsonList<string>())
  declare categories: string[]

  @column(jsonList<number>())
  declare merchantIds: number[]

  @column({ columnName: 'package_sha256' })
  declare packageSha256: string

  @column({ columnName: 'cover_letter_sha256' })
  declare coverLetterSha256: string

  @column({ columnName: 'jwe_sha256' })
  declare jweSha256: string

  @column()
  declare jwePath: string

  /** The A256GCM content key of the JWE (base64url), given to the recipient out of band. */
  @encrypted()
  declare deliveryKey: string

  @column()
  declare preparedByUserId: number | null

  @column()
  declare approvedByUserId: number | null

  /** How the build was started: console, api, job or command. */
  @column()
  declare channel: string

  @column.dateTime()
  declare deliveredAt: DateTime

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get disclosedItems(): DisclosedItem[] {
    return JSON.parse(this.items) as DisclosedItem[]
  }
}
