import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

const SEALED = ['body', 'content', 'entities']

/*
 * Every message of a conversation, both ways. The text (`body`), the structured part of the
 * message (`content`: media metadata, location, order items, reaction target…) and the AI's
 * entities are sealed under the customer's subject key. `meta_message_id` (wamid or mid) is
 * unique, which makes storing an inbound message idempotent and lets statuses find the outbound
 * one. `intent` is a code of the gateway's fixed list, kept plain so it can be counted.
 */
export default class extends BaseSchema {
  protected tableName = 'messages'

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
      table.string('direction', 8).notNullable()
      table.string('type', 32).notNullable()
      table.text('body').nullable()
      table.text('content').nullable()
      table.text('entities').nullable()
      table.string('intent', 32).nullable()
      table.float('confidence').nullable()
      table.string('meta_message_id', 255).nullable().unique()
      table
        .integer('webhook_event_id')
        .nullable()
        .references('id')
        .inTable('webhook_events')
        .onDelete('SET NULL')
      table.string('status', 16).notNullable()
      table.timestamp('status_at', { useTz: true }).nullable()
      table.string('error_code', 64).nullable()
      table
        .integer('sent_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('occurred_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['conversation_id', 'created_at'])
      table.index(['merchant_id', 'created_at'])
      table.index(['customer_id'])
      table.check(`direction IN ('inbound', 'outbound')`, [], 'messages_direction')
      table.check(
        `status IN ('received', 'queued', 'sent', 'delivered', 'read', 'failed')`,
        [],
        'messages_status'
      )
    })
    requireSealed(this.schema, this.tableName, SEALED)
  }

  async down() {
    dropSealedChecks(this.schema, this.tableName, SEALED)
    this.schema.dropTable(this.tableName)
  }
}
