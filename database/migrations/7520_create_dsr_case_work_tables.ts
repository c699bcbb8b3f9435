import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

/*
 * How staff work a case (comments sealed under the merchant's key, tasks), and the merchants'
 * optional callback endpoints with the log of every signed event delivered to them.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('dsr_case_comments', (table) => {
      table.increments('id')
      table
        .integer('dsr_case_id')
        .notNullable()
        .references('id')
        .inTable('dsr_cases')
        .onDelete('CASCADE')
      table.integer('merchant_id').notNullable()
      table
        .integer('author_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.text('body').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['dsr_case_id', 'id'])
    })
    requireSealed(this.schema, 'dsr_case_comments', ['body'])

    this.schema.createTable('dsr_case_tasks', (table) => {
      table.increments('id')
      table
        .integer('dsr_case_id')
        .notNullable()
        .references('id')
        .inTable('dsr_cases')
        .onDelete('CASCADE')
      table.string('title', 200).notNullable()
      table.date('due_on').nullable()
      table
        .integer('assignee_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table
        .integer('created_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('done_at', { useTz: true }).nullable()
      table
        .integer('done_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['dsr_case_id'])
    })

    this.schema.createTable('dsr_callback_endpoints', (table) => {
      table.increments('id')
      table
        .integer('merchant_id')
        .notNullable()
        .unique()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.string('url', 2000).notNullable()
      table.boolean('active').notNullable().defaultTo(true)
      table
        .integer('updated_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
    })

    this.schema.createTable('dsr_callback_deliveries', (table) => {
      table.increments('id')
      table.integer('merchant_id').notNullable()
      table
        .integer('dsr_case_id')
        .notNullable()
        .references('id')
        .inTable('dsr_cases')
        .onDelete('CASCADE')
      table.string('event_id', 64).notNullable().unique()
      table.string('case_status', 24).notNullable()
      table.string('url', 2000).notNullable()
      table.string('state', 16).notNullable().defaultTo('pending')
      table.integer('attempts').notNullable().defaultTo(0)
      table.integer('last_status_code').nullable()
      // a code (`timeout`, `refused_address`, `http_500`…), never a response body
      table.string('last_error', 64).nullable()
      table.timestamp('next_attempt_at', { useTz: true }).nullable()
      table.timestamp('delivered_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(
        `state IN ('pending', 'delivered', 'failed')`,
        [],
        'dsr_callback_deliveries_state_check'
      )
      table.index(['merchant_id', 'id'])
      table.index(['dsr_case_id'])
    })
  }

  async down() {
    this.schema.dropTable('dsr_callback_deliveries')
    this.schema.dropTable('dsr_callback_endpoints')
    this.schema.dropTable('dsr_case_tasks')
    dropSealedChecks(this.schema, 'dsr_case_comments', ['body'])
    this.schema.dropTable('dsr_case_comments')
  }
}
