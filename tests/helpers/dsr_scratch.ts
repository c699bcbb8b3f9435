/*
 * A table that no migration creates and no module maps: a test creates it, registers it in the
 * field inventory at run time, and the DSR execution must find, export and erase its rows with
 * no code of its own. It stands for "a table added later".
 */
import db from '@adonisjs/lucid/services/db'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { encrypted } from '#keys/encrypted_columns'
import { sealedCheckSql } from '#keys/sealed_constraints'
import { registerExtraInventory } from '#data_map/inventory/collector'

export const SCRATCH_TABLE = 'dsr_scratch_orders'

export class ScratchOrder extends BaseModel {
  static table = SCRATCH_TABLE

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column()
  declare customerId: number | null

  @encrypted({ merchant: 'merchantId', blindIndex: { attribute: 'phoneBidx', kind: 'phone' } })
  declare phone: string | null

  @column()
  declare phoneBidx: string | null

  @encrypted({ merchant: 'merchantId', subject: { attribute: 'customerId', kind: 'customer' } })
  declare note: string | null
}

/** Creates the table (inside the test's transaction) and maps it; returns the unmapping function. */
export async function createScratchOrders() {
  await db.rawQuery(`
    CREATE TABLE ${SCRATCH_TABLE} (
      id serial PRIMARY KEY,
      merchant_id integer NOT NULL REFERENCES merchants(id),
      customer_id integer NULL,
      phone text NULL,
      phone_bidx char(64) NULL,
      note text NULL
    )`)
  await db.rawQuery(sealedCheckSql(SCRATCH_TABLE, 'phone'))
  await db.rawQuery(sealedCheckSql(SCRATCH_TABLE, 'note'))
  await db.rawQuery(`CREATE INDEX ON ${SCRATCH_TABLE} (merchant_id, customer_id)`)
  return registerExtraInventory({
    module: 'scratch_dsr',
    tables: {
      [SCRATCH_TABLE]: {
        personal: {
          phone: {
            category: 'customer.contact.phone',
            identifiesSubject: true,
            encrypted: true,
            retention: 'customer.contact.phone',
          },
          phone_bidx: {
            category: 'customer.contact.phone',
            identifiesSubject: true,
            encrypted: true,
            form: 'keyed_hash',
            retention: 'customer.contact.phone',
          },
          note: {
            category: 'customer.content.message',
            identifiesSubject: false,
            encrypted: true,
            retention: 'customer.content.message',
          },
        },
        nonPersonal: ['id', 'merchant_id', 'customer_id'],
      },
    },
  })
}
