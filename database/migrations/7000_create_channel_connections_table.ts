import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

const SEALED = ['access_token']

/*
 * A merchant's WhatsApp number (phone_number_id) or Instagram professional account: the tenant
 * key of every webhook. The access token is a credential sealed under the merchant's key; no
 * token means the outbox keeps replies unsent.
 */
export default class extends BaseSchema {
  protected tableName = 'channel_connections'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.string('channel', 16).notNullable()
      table.string('external_id', 64).notNullable()
      table.string('label', 120).nullable()
      table.text('access_token').nullable()
      table.string('status', 16).notNullable().defaultTo('active')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['channel', 'external_id'])
      table.index(['merchant_id'])
      table.check(`channel IN ('whatsapp', 'instagram')`, [], 'channel_connections_channel')
      table.check(`status IN ('active', 'disconnected')`, [], 'channel_connections_status')
    })
    requireSealed(this.schema, this.tableName, SEALED)
  }

  async down() {
    dropSealedChecks(this.schema, this.tableName, SEALED)
    this.schema.dropTable(this.tableName)
  }
}
