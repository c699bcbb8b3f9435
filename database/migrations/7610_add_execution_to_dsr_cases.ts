import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * What carrying out a case produced: the outcome (`fulfilled` or `no_data`), its artifacts
 * (packages, reports, the erasure record; ids and document ids only) and when it ran. The
 * execution tables point at their case; a case is never deleted (it is evidence), but a
 * scratch one in a test may be.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('dsr_cases', (table) => {
      table.string('outcome', 16).nullable()
      table.jsonb('artifacts').nullable()
      table.timestamp('executed_at', { useTz: true }).nullable()
    })
    this.schema.raw(
      `ALTER TABLE dsr_cases ADD CONSTRAINT dsr_cases_outcome CHECK (outcome IN ('fulfilled', 'no_data'))`
    )
    for (const table of ['dsr_exports', 'dsr_erasures']) {
      this.schema.alterTable(table, (t) => {
        t.foreign('dsr_case_id').references('id').inTable('dsr_cases').onDelete('SET NULL')
      })
    }
  }

  async down() {
    for (const table of ['dsr_exports', 'dsr_erasures']) {
      this.schema.alterTable(table, (t) => t.dropForeign('dsr_case_id'))
    }
    this.schema.alterTable('dsr_cases', (table) => {
      table.dropColumn('outcome')
      table.dropColumn('artifacts')
      table.dropColumn('executed_at')
    })
  }
}
