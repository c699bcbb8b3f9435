import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Every generated report: the stored PDF, its SHA-256 and the signed manifest. Rows are evidence
 * and are never updated; a report is verified by finding its hash here and checking the JWS.
 */
export default class extends BaseSchema {
  protected tableName = 'reports'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.uuid('document_id').notNullable().unique()
      table.string('kind', 64).notNullable()
      table.string('title', 300).notNullable()
      table
        .integer('merchant_id')
        .nullable()
        .references('id')
        .inTable('merchants')
        .onDelete('SET NULL')
      table.string('period', 16).nullable()
      table.specificType('sha256', 'char(64)').notNullable().unique()
      table.integer('size_bytes').notNullable()
      table.jsonb('manifest').notNullable()
      table.text('jws').notNullable()
      // Relative to STORAGE_PATH, so the storage directory can move
      table.string('file_path', 500).notNullable()
      table.string('generated_by', 200).notNullable()
      table
        .integer('generated_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['kind', 'created_at'])
      table.index(['merchant_id', 'created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
