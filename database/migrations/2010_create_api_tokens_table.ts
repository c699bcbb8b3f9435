import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'api_tokens'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.integer('created_by').nullable().references('id').inTable('users').onDelete('SET NULL')
      // Public half of the token: the lookup key, safe to show in lists
      table.string('public_id', 32).notNullable().unique()
      // SHA-256 of the high-entropy secret half; the token itself is never stored
      table.string('secret_hash', 64).notNullable()
      table.string('name', 100).notNullable()
      table.jsonb('scopes').notNullable().defaultTo('[]')
      table.timestamp('expires_at', { useTz: true }).nullable()
      table.timestamp('revoked_at', { useTz: true }).nullable()
      table.integer('revoked_by').nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('last_used_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['merchant_id', 'created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
