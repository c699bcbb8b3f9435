import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * A staff decision that lets a waiting case run (objection, review of an automated decision),
 * the case's closing report, and the link from a customer's own request (customer_rights_requests, conversations module)
 * to the case it became.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('dsr_cases', (table) => {
      table.timestamp('staff_approved_at', { useTz: true }).nullable()
      table
        .integer('staff_approved_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      // the signed `dsr-case` report issued when the case closed (reports.document_id)
      table.uuid('report_document_id').nullable()
    })
    this.schema.alterTable('customer_rights_requests', (table) => {
      table
        .foreign('dsr_case_id', 'customer_rights_requests_dsr_case_fk')
        .references('id')
        .inTable('dsr_cases')
        .onDelete('SET NULL')
    })
  }

  async down() {
    this.schema.alterTable('customer_rights_requests', (table) => {
      table.dropForeign(['dsr_case_id'], 'customer_rights_requests_dsr_case_fk')
    })
    this.schema.alterTable('dsr_cases', (table) => {
      table.dropColumn('report_document_id')
      table.dropColumn('staff_approved_by_user_id')
      table.dropColumn('staff_approved_at')
    })
  }
}
