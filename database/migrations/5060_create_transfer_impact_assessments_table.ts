import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Transfer impact assessments (SCC Cl. 14; EDPB Rec. 01/2020 v2), one per destination country
 * and version. The six EDPB steps are recorded as text; `due_state` is kept by the
 * `vendors.flag_due_tias` job for the dashboard.
 */
export default class extends BaseSchema {
  protected tableName = 'transfer_impact_assessments'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.specificType('country_code', 'char(2)').notNullable()
      table.string('title', 200).notNullable()
      table.string('status', 16).notNullable().defaultTo('draft')
      table.text('step_1_transfers').notNullable()
      table.text('step_2_tool').notNullable()
      table.text('step_3_assessment').notNullable()
      table.text('step_4_measures').notNullable()
      table.text('step_5_procedural').notNullable()
      table.text('step_6_reevaluation').notNullable()
      table.string('risk_rating', 8).notNullable()
      // Codes such as "encryption_at_rest", "pseudonymisation", "transparency_reports".
      table.jsonb('supplementary_measures').notNullable().defaultTo('[]')
      table.date('reviewed_on').notNullable()
      table.date('next_review_on').notNullable()
      table
        .integer('approved_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('approved_at', { useTz: true }).nullable()
      table.string('due_state', 16).notNullable().defaultTo('ok')
      table.timestamp('due_checked_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`status IN ('draft', 'approved', 'superseded')`, [], 'tias_status_check')
      table.check(`risk_rating IN ('low', 'medium', 'high')`, [], 'tias_risk_check')
      table.check(`due_state IN ('ok', 'due_soon', 'overdue')`, [], 'tias_due_check')
      table.check('next_review_on > reviewed_on', [], 'tias_review_order_check')
      table.index(['country_code', 'status'])
      table.index(['next_review_on'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
