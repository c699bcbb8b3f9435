import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

const SEALED = ['phone', 'wa_id', 'bsuid', 'instagram_id', 'display_name', 'email']

/*
 * A merchant's customer (the data subject). Every identifier is sealed under the subject's own
 * key (`customer:<id>`), so destroying that key erases the person; lookups go through the blind
 * indexes, which are per merchant: the same number at two merchants gives unrelated values. The
 * channel identifiers are unique per merchant, so two workers meeting a new customer at once
 * create one row. The flags are honoured by the purpose guard (the DSR module sets
 * `restricted_at` and `objected_at`).
 */
export default class extends BaseSchema {
  protected tableName = 'customers'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.string('reference', 40).notNullable().unique()
      table.text('phone').nullable()
      table.string('phone_bidx', 64).nullable()
      table.text('wa_id').nullable()
      table.string('wa_id_bidx', 64).nullable()
      table.text('bsuid').nullable()
      table.string('bsuid_bidx', 64).nullable()
      table.text('instagram_id').nullable()
      table.string('instagram_id_bidx', 64).nullable()
      table.text('display_name').nullable()
      table.text('email').nullable()
      table.string('email_bidx', 64).nullable()
      table.timestamp('opted_out_at', { useTz: true }).nullable()
      table.timestamp('restricted_at', { useTz: true }).nullable()
      table.timestamp('objected_at', { useTz: true }).nullable()
      table.timestamp('first_seen_at', { useTz: true }).notNullable()
      table.timestamp('last_seen_at', { useTz: true }).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['merchant_id', 'wa_id_bidx'])
      table.unique(['merchant_id', 'bsuid_bidx'])
      table.unique(['merchant_id', 'instagram_id_bidx'])
      table.index(['merchant_id', 'phone_bidx'])
      table.index(['merchant_id', 'email_bidx'])
    })
    requireSealed(this.schema, this.tableName, SEALED)
  }

  async down() {
    dropSealedChecks(this.schema, this.tableName, SEALED)
    this.schema.dropTable(this.tableName)
  }
}
