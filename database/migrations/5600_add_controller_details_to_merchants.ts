import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

const SEALED = [
  'contact_email',
  'dpo_name',
  'dpo_email',
  'representative_name',
  'representative_contact',
]

/*
 * What the Art. 30(2)(a) record needs about each controller: contact details, its Art. 27
 * representative and its DPO (the people's names and e-mails are sealed with #keys under the
 * merchant's key), and the objection window agreed in its DPA (SCC Cl. 9(a): never shorter
 * than 30 days).
 */
export default class extends BaseSchema {
  protected tableName = 'merchants'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.text('contact_address').nullable()
      table.text('contact_email').nullable()
      table.text('dpo_name').nullable()
      table.text('dpo_email').nullable()
      table.text('representative_name').nullable()
      table.text('representative_contact').nullable()
      table.integer('objection_window_days').notNullable().defaultTo(30)
      table.check('objection_window_days >= 30', [], 'merchants_objection_window_min')
    })
    requireSealed(this.schema, this.tableName, SEALED)
  }

  async down() {
    dropSealedChecks(this.schema, this.tableName, SEALED)
    this.schema.alterTable(this.tableName, (table) => {
      table.dropChecks(['merchants_objection_window_min'])
      table.dropColumns(
        'contact_address',
        'contact_email',
        'dpo_name',
        'dpo_email',
        'representative_name',
        'representative_contact',
        'objection_window_days'
      )
    })
  }
}
