import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * A data-subject request that reached the hub from the customer (in chat, or at the privacy
 * mailbox) rather than from the merchant. The hub is the processor: it records the request and
 * passes it to the merchant, who may turn it into a DSR case (`dsr_case_id`, linked by the DSR
 * module). Ids only; the words stay in the sealed message.
 */
export default class extends BaseSchema {
  protected tableName = 'customer_rights_requests'

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
        .nullable()
        .references('id')
        .inTable('customers')
        .onDelete('SET NULL')
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
      table.string('request_type', 24).notNullable().defaultTo('unspecified')
      table.string('source', 16).notNullable()
      table.string('state', 24).notNullable().defaultTo('awaiting_merchant')
      table.integer('dsr_case_id').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['message_id'])
      table.index(['merchant_id', 'state'])
      table.check(
        `request_type IN ('erasure', 'access', 'rectification', 'portability', 'restriction', 'objection', 'unspecified')`,
        [],
        'customer_rights_requests_type'
      )
      table.check(`source IN ('chat', 'privacy_email')`, [], 'customer_rights_requests_source')
      table.check(
        `state IN ('awaiting_merchant', 'converted', 'dismissed')`,
        [],
        'customer_rights_requests_state'
      )
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
