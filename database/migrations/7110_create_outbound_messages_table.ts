import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The outbox (conversations/outbox): one row per reply to send. The text lives sealed on the
 * outbound `messages` row; this row holds only the delivery state. Unique per inbound message and
 * reply kind, so a retried respond job never queues a second reply.
 */
export default class extends BaseSchema {
  protected tableName = 'outbound_messages'

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
        .notNullable()
        .references('id')
        .inTable('conversations')
        .onDelete('CASCADE')
      table
        .integer('customer_id')
        .notNullable()
        .references('id')
        .inTable('customers')
        .onDelete('CASCADE')
      table
        .integer('message_id')
        .notNullable()
        .unique()
        .references('id')
        .inTable('messages')
        .onDelete('CASCADE')
      table
        .integer('inbound_message_id')
        .nullable()
        .references('id')
        .inTable('messages')
        .onDelete('SET NULL')
      // ai_reply | handoff_notice | data_rights_ack | agent_reply
      table.string('kind', 32).notNullable()
      // pending | sent | failed | held (channel not connected) | not_sent (final)
      table.string('state', 16).notNullable().defaultTo('pending')
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('next_attempt_at', { useTz: true }).nullable()
      table.string('provider_message_id', 255).nullable()
      table.string('error_code', 64).nullable()
      table.string('error_title', 255).nullable()
      table.string('not_sent_reason', 64).nullable()
      table
        .integer('sent_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('sent_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['state', 'next_attempt_at'])
      table.index(['merchant_id', 'created_at'])
    })
    // One reply of each kind per inbound message: the respond job's idempotency key
    this.schema.raw(
      'CREATE UNIQUE INDEX outbound_messages_inbound_kind_unique ON outbound_messages (inbound_message_id, kind) WHERE inbound_message_id IS NOT NULL'
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
