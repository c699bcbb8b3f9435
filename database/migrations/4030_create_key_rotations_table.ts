import { BaseSchema } from '@adonisjs/lucid/schema'

/* One row per rotation run, updated by the `keys.rotate` job so the console can show progress. */
export default class extends BaseSchema {
  protected tableName = 'key_rotations'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('scope', 40).notNullable()
      table
        .integer('merchant_id')
        .nullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.integer('from_version').notNullable()
      table.integer('to_version').notNullable()
      table.string('status', 16).notNullable().defaultTo('queued')
      table.integer('subject_keys_total').notNullable().defaultTo(0)
      table.integer('subject_keys_done').notNullable().defaultTo(0)
      table.integer('rows_total').notNullable().defaultTo(0)
      table.integer('rows_done').notNullable().defaultTo(0)
      table.string('requested_by', 64).nullable()
      table.string('error', 500).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('started_at', { useTz: true }).nullable()
      table.timestamp('finished_at', { useTz: true }).nullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['scope', 'created_at'])
      table.check(`status IN ('queued', 'running', 'completed', 'failed')`)
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
