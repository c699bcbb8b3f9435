import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Change notices (Art. 28(2); SCC Cl. 9(a)): one row per published addition, change or
 * retirement, with the snapshot merchants were shown and the objection window it opened.
 * Deliveries record, per merchant, that the portal notice and the e-mail went out.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('subprocessor_change_notices', (table) => {
      table.increments('id')
      table
        .integer('subprocessor_id')
        .notNullable()
        .references('id')
        .inTable('subprocessors')
        .onDelete('RESTRICT')
      table.string('kind', 16).notNullable()
      table.text('summary').notNullable()
      table.jsonb('snapshot').notNullable()
      // [{ field, from, to }] against the previous notice; empty for an addition.
      table.jsonb('changes').notNullable().defaultTo('[]')
      table.timestamp('published_at', { useTz: true }).notNullable()
      table.integer('objection_window_days').nullable()
      table.timestamp('objection_deadline', { useTz: true }).nullable()
      table
        .integer('published_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`kind IN ('addition', 'change', 'retirement')`, [], 'change_notices_kind_check')
      table.check(
        `(objection_window_days IS NULL) = (objection_deadline IS NULL)`,
        [],
        'change_notices_window_check'
      )
      table.index(['subprocessor_id', 'published_at'])
      table.index(['published_at'])
    })

    this.schema.createTable('subprocessor_notice_deliveries', (table) => {
      table.increments('id')
      table
        .integer('notice_id')
        .notNullable()
        .references('id')
        .inTable('subprocessor_change_notices')
        .onDelete('CASCADE')
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.timestamp('portal_notified_at', { useTz: true }).nullable()
      // pending -> queued (written to outbound_emails) | no_recipients
      table.string('email_status', 16).notNullable().defaultTo('pending')
      table.integer('email_recipients').notNullable().defaultTo(0)
      table.timestamp('emailed_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['notice_id', 'merchant_id'])
      table.index(['merchant_id'])
    })
  }

  async down() {
    this.schema.dropTable('subprocessor_notice_deliveries')
    this.schema.dropTable('subprocessor_change_notices')
  }
}
