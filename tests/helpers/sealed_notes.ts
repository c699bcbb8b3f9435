/*
 * A scratch model with every kind of encrypted column, on a table the key tests create
 * themselves (personal-data tables belong to other modules).
 */
import db from '@adonisjs/lucid/services/db'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'
import { sealedCheckName, sealedCheckSql } from '#keys/sealed_constraints'

export class SealedNote extends BaseModel {
  static table = 'keys_test_notes'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number | null

  @column()
  declare customerId: number | null

  @encrypted({ merchant: 'merchantId' })
  declare body: string

  @encrypted({ merchant: 'merchantId', subject: { attribute: 'customerId', kind: 'customer' } })
  declare customerName: string | null

  @encrypted({ merchant: 'merchantId', blindIndex: { attribute: 'phoneBidx', kind: 'phone' } })
  declare phone: string | null

  @column()
  declare phoneBidx: string | null
}

export async function ensureSealedNotesTable() {
  await db.rawQuery(`
    CREATE TABLE IF NOT EXISTS keys_test_notes (
      id serial PRIMARY KEY,
      merchant_id integer NULL REFERENCES merchants(id) ON DELETE CASCADE,
      customer_id integer NULL,
      body text NOT NULL,
      customer_name text NULL,
      phone text NULL,
      phone_bidx char(64) NULL
    )`)
  for (const sealed of ['body', 'customer_name', 'phone']) {
    await db.rawQuery(
      `ALTER TABLE keys_test_notes DROP CONSTRAINT IF EXISTS ${sealedCheckName('keys_test_notes', sealed)}`
    )
    await db.rawQuery(sealedCheckSql('keys_test_notes', sealed))
  }
}

/** The scratch table goes too, so schema checks of later suites never see it. */
export async function dropSealedNotesTable() {
  await db.rawQuery('DROP TABLE IF EXISTS keys_test_notes')
}
