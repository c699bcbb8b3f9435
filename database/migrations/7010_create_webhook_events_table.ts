import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

const SEALED = ['payload']

/*
 * Every item Meta delivered (one message, status, reaction, read, postback or echo), stored
 * before the webhook answers 200. `dedupe_key` is unique (wamid, mid, or status id + status), so
 * a redelivery inserts nothing. The payload is sealed under the platform key until the event is
 * routed to a merchant, then under that merchant's key, and dropped once processed (the message
 * row holds what is kept). `channel_external_id` is the routing key (phone_number_id or
 * Instagram account id), a business identifier.
 */
export default class extends BaseSchema {
  protected tableName = 'webhook_events'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('object', 40).notNullable()
      table.string('kind', 32).notNullable()
      table.string('dedupe_key', 255).notNullable().unique()
      table.string('channel_external_id', 64).nullable()
      table.text('payload').nullable()
      table
        .integer('merchant_id')
        .nullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table
        .integer('channel_connection_id')
        .nullable()
        .references('id')
        .inTable('channel_connections')
        .onDelete('SET NULL')
      table.string('state', 16).notNullable().defaultTo('received')
      table.integer('attempts').notNullable().defaultTo(0)
      table.string('error_code', 64).nullable()
      table.timestamp('received_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('processed_at', { useTz: true }).nullable()
      table.index(['state', 'received_at'])
      table.index(['merchant_id'])
      table.check(
        `object IN ('whatsapp_business_account', 'instagram')`,
        [],
        'webhook_events_object'
      )
      table.check(
        `state IN ('received', 'processed', 'unroutable', 'failed')`,
        [],
        'webhook_events_state'
      )
    })
    requireSealed(this.schema, this.tableName, SEALED)
  }

  async down() {
    dropSealedChecks(this.schema, this.tableName, SEALED)
    this.schema.dropTable(this.tableName)
  }
}
