import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

/*
 * Legal holds: while active, they block erasure and retention purges for one subject (a
 * customer of a merchant) or a whole merchant. The reason is sealed under the platform key,
 * so it stays readable for the record even after the merchant's keys are shredded. Lifting
 * takes two people: one requests, another lifts.
 */
export default class extends BaseSchema {
  protected tableName = 'legal_holds'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('scope', 16).notNullable()
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('RESTRICT')
      // no FK: a held customer row is never purged, and the hold outlives a failed erasure
      table.integer('customer_id').nullable()
      table.text('reason').notNullable()
      table.string('source', 32).notNullable()
      table.string('source_ref', 120).nullable()
      table
        .integer('placed_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('placed_at', { useTz: true }).notNullable()
      table.timestamp('expires_at', { useTz: true }).nullable()
      table
        .integer('lift_requested_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('lift_requested_at', { useTz: true }).nullable()
      table.text('lift_reason').nullable()
      table
        .integer('lifted_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('lifted_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`scope IN ('subject', 'merchant')`, [], 'legal_holds_scope_check')
      table.check(
        `(scope = 'subject') = (customer_id IS NOT NULL)`,
        [],
        'legal_holds_subject_check'
      )
      table.check(
        `source IN ('manual', 'government_request', 'litigation', 'regulator')`,
        [],
        'legal_holds_source_check'
      )
      table.check(
        `lifted_at IS NULL OR lift_requested_at IS NOT NULL`,
        [],
        'legal_holds_two_people_check'
      )
      table.index(['merchant_id', 'lifted_at'])
      table.index(['merchant_id', 'customer_id'])
    })
    requireSealed(this.schema, this.tableName, ['reason', 'lift_reason'])
  }

  async down() {
    dropSealedChecks(this.schema, this.tableName, ['reason', 'lift_reason'])
    this.schema.dropTable(this.tableName)
  }
}
