import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * One key per data subject (a customer, a user) in a scope, wrapped by a data key version.
 * Destroying one nulls `wrapped` and keeps the row as a tombstone, so later reads say
 * "key destroyed" instead of looking like a missing key.
 */
export default class extends BaseSchema {
  protected tableName = 'subject_keys'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.string('scope', 40).notNullable()
      table
        .integer('merchant_id')
        .nullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.string('subject_ref', 100).notNullable()
      table.integer('data_key_version').nullable()
      table.binary('wrapped').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('rewrapped_at', { useTz: true }).nullable()
      table.timestamp('destroyed_at', { useTz: true }).nullable()
      table.unique(['scope', 'subject_ref'])
      table.index(['scope', 'data_key_version'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
