import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * One thread per customer and channel connection. `mode` says who answers (the AI or the
 * merchant's agents after a handoff); `last_inbound_at` opens the 24-hour reply window.
 */
export default class extends BaseSchema {
  protected tableName = 'conversations'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table
        .integer('customer_id')
        .notNullable()
        .references('id')
        .inTable('customers')
        .onDelete('CASCADE')
      table.string('channel', 16).notNullable()
      table
        .integer('channel_connection_id')
        .notNullable()
        .references('id')
        .inTable('channel_connections')
        .onDelete('CASCADE')
      table.string('mode', 8).notNullable().defaultTo('ai')
      table.string('handoff_reason', 40).nullable()
      table.timestamp('handed_off_at', { useTz: true }).nullable()
      table.timestamp('last_inbound_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['customer_id', 'channel_connection_id'])
      table.index(['merchant_id', 'mode'])
      table.check(`channel IN ('whatsapp', 'instagram')`, [], 'conversations_channel')
      table.check(`mode IN ('ai', 'human')`, [], 'conversations_mode')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
