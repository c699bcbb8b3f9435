import { BaseSchema } from '@adonisjs/lucid/schema'

const COMPLETE = [
  'step_1_transfers',
  'step_2_tool',
  'step_3_assessment',
  'step_4_measures',
  'step_5_procedural',
  'step_6_reevaluation',
  'risk_rating',
  'reviewed_on',
  'next_review_on',
]

/*
 * A TIA draft is saved while incomplete: its steps, risk and review dates may be empty until it
 * is approved. An approved (or superseded) assessment is evidence and must be complete; the
 * database refuses one that is not.
 */
export default class extends BaseSchema {
  protected tableName = 'transfer_impact_assessments'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      for (const column of COMPLETE) table.setNullable(column)
      table.check(
        `status = 'draft' OR (${COMPLETE.map((c) => `${c} IS NOT NULL`).join(' AND ')})`,
        [],
        'tias_complete_unless_draft_check'
      )
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropChecks(['tias_complete_unless_draft_check'])
      for (const column of COMPLETE) table.dropNullable(column)
    })
  }
}
