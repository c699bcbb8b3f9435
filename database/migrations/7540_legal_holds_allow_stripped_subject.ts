import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Legal holds are evidence: erasing a subject after its hold was lifted strips the hold's
 * customer id (#dsr/execution/erasure). A hold still in force must name its customer.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('legal_holds', (table) => {
      table.dropChecks(['legal_holds_subject_check'])
      table.check(
        `(scope = 'merchant' AND customer_id IS NULL) OR (scope = 'subject' AND (customer_id IS NOT NULL OR lifted_at IS NOT NULL))`,
        [],
        'legal_holds_subject_check'
      )
    })
  }

  async down() {
    this.schema.alterTable('legal_holds', (table) => {
      table.dropChecks(['legal_holds_subject_check'])
      table.check(
        `(scope = 'subject') = (customer_id IS NOT NULL)`,
        [],
        'legal_holds_subject_check'
      )
    })
  }
}
