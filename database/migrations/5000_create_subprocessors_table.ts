import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The subprocessor register (GDPR Art. 28(2),(4); SCC Cl. 9). The data map links systems here by
 * `subprocessors.id`. Rows are never deleted: a subprocessor that is dropped becomes `retired`.
 */
export default class extends BaseSchema {
  protected tableName = 'subprocessors'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('name', 200).notNullable().unique()
      table.string('legal_entity', 200).nullable()
      table.string('service', 200).notNullable()
      table.text('purpose').notNullable()
      // Data-category codes from the data map taxonomy, e.g. ["customer.content.message"].
      table.jsonb('data_categories').notNullable().defaultTo('[]')
      // ISO 3166-1 alpha-2 codes where the subprocessor processes data.
      table.specificType('processing_countries', 'char(2)[]').notNullable().defaultTo('{}')
      table.string('transfer_mechanism', 32).notNullable()
      table.date('dpa_signed_on').nullable()
      // AI provider terms: { training, abuseLogRetentionDays, zeroDataRetention, notes }.
      table.jsonb('ai_terms').nullable()
      table.string('website', 300).nullable()
      table.string('status', 20).notNullable().defaultTo('proposed')
      table.timestamp('effective_at', { useTz: true }).nullable()
      table.timestamp('retired_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(
        `status IN ('proposed', 'notice_published', 'effective', 'retired')`,
        [],
        'subprocessors_status_check'
      )
      table.check(
        `transfer_mechanism IN ('none_eea', 'adequacy', 'dpf', 'scc_module_2', 'scc_module_3', 'bcr', 'art49_derogation')`,
        [],
        'subprocessors_mechanism_check'
      )
      table.index(['status'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
