import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Material edits to an effective subprocessor wait for their notice: `staged_change` holds them
 * until a change notice is published, the notice keeps them until its objection window closes
 * (`applied_at` marks when the job applied them). Windows are never shorter than 30 days.
 * Also what the transfer verdicts need on record: the DPF certification (entry and date), the
 * PDPC transfer licence (PDPL Art. 14), and the address and privacy contact for Annex III.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('subprocessors', (table) => {
      table.jsonb('staged_change').nullable()
      table.text('address').nullable()
      table.text('privacy_contact').nullable()
      table.string('dpf_certification_entry', 300).nullable()
      table.date('dpf_certified_on').nullable()
      table.string('pdpl_licence_reference', 200).nullable()
      table.date('pdpl_licence_issued_on').nullable()
      table.check(
        '(dpf_certification_entry IS NULL) = (dpf_certified_on IS NULL)',
        [],
        'subprocessors_dpf_pair'
      )
      table.check(
        '(pdpl_licence_reference IS NULL) = (pdpl_licence_issued_on IS NULL)',
        [],
        'subprocessors_pdpl_pair'
      )
    })
    this.schema.alterTable('subprocessor_change_notices', (table) => {
      table.timestamp('applied_at', { useTz: true }).nullable()
      table.check(
        'objection_window_days IS NULL OR objection_window_days >= 30',
        [],
        'change_notices_window_min'
      )
    })
  }

  async down() {
    this.schema.alterTable('subprocessor_change_notices', (table) => {
      table.dropChecks(['change_notices_window_min'])
      table.dropColumn('applied_at')
    })
    this.schema.alterTable('subprocessors', (table) => {
      table.dropChecks(['subprocessors_dpf_pair', 'subprocessors_pdpl_pair'])
      table.dropColumns(
        'staged_change',
        'address',
        'privacy_contact',
        'dpf_certification_entry',
        'dpf_certified_on',
        'pdpl_licence_reference',
        'pdpl_licence_issued_on'
      )
    })
  }
}
