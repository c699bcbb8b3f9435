import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The merchant portal's notification inbox. Any module may post here; `source_type/source_id`
 * point at the record the notification is about. Text is business text, never personal data.
 */
export default class extends BaseSchema {
  protected tableName = 'merchant_notifications'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.string('kind', 64).notNullable()
      table.string('title', 200).notNullable()
      table.text('body').notNullable()
      table.string('link', 300).nullable()
      table.string('source_type', 64).nullable()
      table.string('source_id', 64).nullable()
      table.timestamp('read_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['merchant_id', 'created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
