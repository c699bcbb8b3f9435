import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Outbox of e-mails. There is no SMTP relay in this deployment, so jobs "send" by writing here;
 * a relay would drain `pending` rows. The recipient is a user id, resolved to an address only
 * at delivery time, so no e-mail address is copied into this table.
 */
export default class extends BaseSchema {
  protected tableName = 'outbound_emails'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('merchant_id')
        .nullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table
        .integer('recipient_user_id')
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('template', 64).notNullable()
      table.string('subject', 200).notNullable()
      table.text('body').notNullable()
      table.string('source_type', 64).nullable()
      table.string('source_id', 64).nullable()
      table.string('status', 16).notNullable().defaultTo('pending')
      table.timestamp('sent_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      // One e-mail per recipient per source, so a retried job never sends twice.
      table.unique(['template', 'source_type', 'source_id', 'recipient_user_id'])
      table.index(['status'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
