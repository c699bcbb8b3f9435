import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * One row per AI call (conversations/processing): who the text belonged to, for what purpose,
 * where it went and what came back. No message text: the evidence is the metadata. A customer's
 * erasure leaves the row with its ids cleared.
 */
export default class extends BaseSchema {
  protected tableName = 'ai_processing_logs'

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
        .integer('conversation_id')
        .nullable()
        .references('id')
        .inTable('conversations')
        .onDelete('SET NULL')
      table
        .integer('message_id')
        .nullable()
        .references('id')
        .inTable('messages')
        .onDelete('SET NULL')
      table
        .integer('customer_id')
        .nullable()
        .references('id')
        .inTable('customers')
        .onDelete('SET NULL')
      table.string('purpose', 64).notNullable()
      table.string('provider', 32).notNullable()
      table.string('model', 128).notNullable()
      table
        .integer('subprocessor_id')
        .nullable()
        .references('id')
        .inTable('subprocessors')
        .onDelete('SET NULL')
      table.integer('redactions').notNullable().defaultTo(0)
      // ok | handoff | error | denied (the guard refused: no call was made)
      table.string('outcome', 16).notNullable()
      table.string('intent', 32).nullable()
      table.string('decision', 32).nullable()
      table.string('error_code', 64).nullable()
      table.decimal('latency_ms', 10, 1).notNullable().defaultTo(0)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['merchant_id', 'created_at'])
      table.index(['created_at'])
      table.index(['customer_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
