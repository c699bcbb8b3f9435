import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Merchant objections to a change notice (Art. 28(2)). While an objection is open or upheld,
 * that merchant's data must not flow to the subprocessor (`vendors.isFlowAllowed`).
 */
export default class extends BaseSchema {
  protected tableName = 'subprocessor_objections'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('subprocessor_id')
        .notNullable()
        .references('id')
        .inTable('subprocessors')
        .onDelete('RESTRICT')
      table
        .integer('notice_id')
        .notNullable()
        .references('id')
        .inTable('subprocessor_change_notices')
        .onDelete('RESTRICT')
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.text('reason').notNullable()
      table.string('status', 16).notNullable().defaultTo('open')
      table.string('raised_via', 16).notNullable()
      table
        .integer('raised_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.integer('raised_by_token_id').nullable()
      // The client's Idempotency-Key: a retried POST returns the objection it already made.
      table.string('idempotency_key', 128).nullable()
      table.text('resolution_note').nullable()
      table
        .integer('resolved_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('resolved_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(
        `status IN ('open', 'upheld', 'withdrawn', 'rejected')`,
        [],
        'objections_status_check'
      )
      table.check(`raised_via IN ('portal', 'api')`, [], 'objections_via_check')
      table.check(`(status = 'open') = (resolved_at IS NULL)`, [], 'objections_resolution_check')
      table.index(['merchant_id', 'subprocessor_id', 'status'])
      table.index(['status', 'created_at'])
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX subprocessor_objections_idempotency ON subprocessor_objections (merchant_id, idempotency_key) WHERE idempotency_key IS NOT NULL'
    )
    // At most one objection per merchant per notice.
    this.schema.raw(
      'CREATE UNIQUE INDEX subprocessor_objections_one_per_notice ON subprocessor_objections (notice_id, merchant_id)'
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
