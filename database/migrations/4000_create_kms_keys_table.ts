import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * One KMS key per scope: each merchant (`merchant:<id>`) and the platform (staff accounts and
 * other platform-level personal data). Only ids and wrapped blobs live here, never key material.
 */
export default class extends BaseSchema {
  protected tableName = 'kms_keys'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('scope', 40).notNullable().unique()
      table
        .integer('merchant_id')
        .nullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.string('provider', 16).notNullable()
      table.string('key_id', 2048).notNullable()
      table.string('key_alias', 256).nullable()
      table.string('state', 20).notNullable().defaultTo('enabled')
      // Root of the blind-index keys (HKDF), wrapped by the scope's KMS key
      table.binary('index_root_wrapped').nullable()
      // Bumped on every subject-key destruction so other processes drop cached subject keys
      table.integer('revocation_epoch').notNullable().defaultTo(0)
      table.timestamp('deletion_date', { useTz: true }).nullable()
      table.timestamp('destroyed_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`(scope = 'platform') = (merchant_id IS NULL)`)
      table.check(`state IN ('enabled', 'pending_deletion', 'destroyed')`)
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
