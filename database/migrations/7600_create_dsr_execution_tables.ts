import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * What carrying out a DSR leaves behind:
 *   - dsr_exports: access/portability packages. The file lives under STORAGE_PATH, sealed under
 *     the merchant's key; the row holds its hash and which customer it is about (so erasing that
 *     customer later removes it too).
 *   - dsr_download_links: single-use, expiring links to a package (only the SHA-256 of the token).
 *   - dsr_erasures: the evidence of an erasure (counts per system, hashes, subprocessor notes),
 *     from which the deletion certificate is built. No personal data: counts, hashes and opaque
 *     references of rows that no longer exist.
 *   - merchant_terminations: a merchant's request to end the service (return or delete), the
 *     grace period, who prepared and who approved the deletion, and what it removed.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('dsr_exports', (table) => {
      table.increments('id')
      table.integer('merchant_id').notNullable().references('id').inTable('merchants')
      table.integer('dsr_case_id').nullable()
      table.integer('merchant_termination_id').nullable()
      // The customer the package is about (null for "no data found" and merchant-wide returns)
      table.integer('customer_id').nullable()
      table.string('format', 8).notNullable()
      table.integer('records').notNullable()
      // Rows per table and the data categories they hold (no values): what the Art. 15 report lists
      table.jsonb('summary').notNullable()
      table.string('case_reference', 64).nullable()
      table.specificType('sha256', 'char(64)').notNullable()
      table.integer('size_bytes').notNullable()
      table.string('file_path', 500).notNullable()
      table.integer('downloads').notNullable().defaultTo(0)
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['merchant_id', 'customer_id'])
      table.index(['dsr_case_id'])
    })
    this.schema.raw(
      `ALTER TABLE dsr_exports ADD CONSTRAINT dsr_exports_format CHECK (format IN ('json', 'csv'))`
    )

    this.schema.createTable('dsr_download_links', (table) => {
      table.increments('id')
      table
        .integer('dsr_export_id')
        .notNullable()
        .references('id')
        .inTable('dsr_exports')
        .onDelete('CASCADE')
      table.specificType('token_hash', 'char(64)').notNullable().unique()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('consumed_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
    })

    this.schema.createTable('dsr_erasures', (table) => {
      table.increments('id')
      table.integer('merchant_id').notNullable().references('id').inTable('merchants')
      table.integer('dsr_case_id').nullable()
      table.string('case_reference', 64).nullable()
      // Rows removed per system: [{ system, table, rows }]
      table.jsonb('counts').notNullable()
      table.integer('subject_keys_destroyed').notNullable()
      // SHA-256 of the evidence: the located-rows manifest, the audit events, the key tombstones
      table.jsonb('evidence').notNullable()
      table.jsonb('subprocessor_notes').notNullable()
      table.string('outcome', 16).notNullable()
      table.timestamp('started_at', { useTz: true }).notNullable()
      table.timestamp('finished_at', { useTz: true }).notNullable()
      table.uuid('certificate_document_id').nullable()
      table.index(['merchant_id', 'finished_at'])
    })
    this.schema.raw(
      `ALTER TABLE dsr_erasures ADD CONSTRAINT dsr_erasures_outcome CHECK (outcome IN ('erased', 'no_data'))`
    )

    this.schema.createTable('merchant_terminations', (table) => {
      table.increments('id')
      table.integer('merchant_id').notNullable().references('id').inTable('merchants')
      table.string('choice', 8).notNullable()
      table.string('status', 16).notNullable()
      table.integer('requested_by_user_id').nullable()
      table.integer('requested_by_token_id').nullable()
      table.timestamp('requested_at', { useTz: true }).notNullable()
      table.timestamp('delete_after', { useTz: true }).notNullable()
      table
        .integer('dsr_export_id')
        .nullable()
        .references('id')
        .inTable('dsr_exports')
        .onDelete('SET NULL')
      table.integer('prepared_by_user_id').nullable()
      table.timestamp('prepared_at', { useTz: true }).nullable()
      table.integer('approved_by_user_id').nullable()
      table.timestamp('approved_at', { useTz: true }).nullable()
      table.timestamp('executed_at', { useTz: true }).nullable()
      table.jsonb('counts').nullable()
      table.uuid('certificate_document_id').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['status', 'delete_after'])
    })
    this.schema.raw(
      `ALTER TABLE merchant_terminations ADD CONSTRAINT merchant_terminations_choice CHECK (choice IN ('return', 'delete'))`
    )
    this.schema.raw(
      `ALTER TABLE merchant_terminations ADD CONSTRAINT merchant_terminations_status
         CHECK (status IN ('requested', 'prepared', 'approved', 'completed', 'cancelled'))`
    )
    // One open termination per merchant
    this.schema.raw(
      `CREATE UNIQUE INDEX merchant_terminations_open ON merchant_terminations (merchant_id)
         WHERE status IN ('requested', 'prepared', 'approved')`
    )
  }

  async down() {
    this.schema.dropTableIfExists('merchant_terminations')
    this.schema.dropTableIfExists('dsr_erasures')
    this.schema.dropTableIfExists('dsr_download_links')
    this.schema.dropTableIfExists('dsr_exports')
  }
}
