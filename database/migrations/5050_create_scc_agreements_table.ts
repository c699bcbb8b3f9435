import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Standard contractual clauses (Decision 2021/914). Parties are the signatories plus whoever
 * later acceded under the docking clause (Cl. 7), which is how each new merchant joins the
 * Module 2 agreement. Annex I.A is printed from `scc_parties`.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('scc_agreements', (table) => {
      table.increments('id')
      table.string('reference', 64).notNullable().unique()
      table.string('title', 200).notNullable()
      table.smallint('module').notNullable()
      table.date('signed_on').notNullable()
      table.string('status', 16).notNullable().defaultTo('active')
      table.boolean('docking_clause').notNullable().defaultTo(true)
      table.specificType('governing_law_country', 'char(2)').notNullable()
      // Annex I.C: the competent supervisory authority.
      table.string('supervisory_authority', 300).notNullable()
      // Annex I.B: how often data is transferred and the nature of the processing.
      table.string('transfer_frequency', 200).notNullable()
      table.text('processing_nature').notNullable()
      table
        .integer('subprocessor_id')
        .nullable()
        .references('id')
        .inTable('subprocessors')
        .onDelete('RESTRICT')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check('module BETWEEN 1 AND 4', [], 'scc_agreements_module_check')
      table.check(`status IN ('active', 'terminated')`, [], 'scc_agreements_status_check')
      table.check('module <> 3 OR subprocessor_id IS NOT NULL', [], 'scc_agreements_module3_check')
    })

    this.schema.createTable('scc_parties', (table) => {
      table.increments('id')
      table
        .integer('agreement_id')
        .notNullable()
        .references('id')
        .inTable('scc_agreements')
        .onDelete('CASCADE')
      table.string('side', 16).notNullable()
      table.string('role', 16).notNullable()
      table.string('name', 200).notNullable()
      table.string('address', 300).notNullable()
      table.specificType('country_code', 'char(2)').notNullable()
      // A role title and a business mailbox (e.g. "DPO, privacy@..."), not a person's details.
      table.string('contact', 200).notNullable()
      table.text('activities').notNullable()
      table
        .integer('merchant_id')
        .nullable()
        .references('id')
        .inTable('merchants')
        .onDelete('RESTRICT')
      table
        .integer('subprocessor_id')
        .nullable()
        .references('id')
        .inTable('subprocessors')
        .onDelete('RESTRICT')
      table.string('joined_via', 16).notNullable()
      table.date('joined_on').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`side IN ('exporter', 'importer')`, [], 'scc_parties_side_check')
      table.check(`role IN ('controller', 'processor')`, [], 'scc_parties_role_check')
      table.check(`joined_via IN ('signature', 'accession')`, [], 'scc_parties_joined_check')
      table.index(['agreement_id'])
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX scc_parties_one_merchant ON scc_parties (agreement_id, merchant_id) WHERE merchant_id IS NOT NULL'
    )
  }

  async down() {
    this.schema.dropTable('scc_parties')
    this.schema.dropTable('scc_agreements')
  }
}
