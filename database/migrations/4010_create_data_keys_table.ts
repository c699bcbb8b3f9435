import { BaseSchema } from '@adonisjs/lucid/schema'

/* Versioned data keys of a scope, wrapped by its KMS key. The newest active version seals writes. */
export default class extends BaseSchema {
  protected tableName = 'data_keys'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('kms_key_id')
        .notNullable()
        .references('id')
        .inTable('kms_keys')
        .onDelete('CASCADE')
      table.string('scope', 40).notNullable()
      table.integer('version').notNullable()
      table.binary('wrapped').nullable()
      table.string('state', 16).notNullable().defaultTo('active')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('retired_at', { useTz: true }).nullable()
      table.timestamp('destroyed_at', { useTz: true }).nullable()
      table.unique(['kms_key_id', 'version'])
      table.index(['scope', 'version'])
      table.check(`state IN ('active', 'retiring', 'retired', 'destroyed')`)
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
