import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

const REQUEST_SEALED = ['authority_contact', 'instrument_document_name', 'scope_identifiers']
const DISCLOSURE_SEALED = ['items', 'delivery_key']

/*
 * Government and public-authority requests (issue 11, DESIGN.md §8): the register of every
 * request, its assessment and decisions, the disclosures made under them, the merchants'
 * notices and the published transparency reports. The officer's contact, the document's file
 * name and the identifiers in scope are personal data, sealed under the platform key; the
 * instrument itself is a sealed file under STORAGE_PATH.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('government_requests', (table) => {
      table.increments('id')
      table.string('reference', 32).notNullable().unique()
      table.string('status', 24).notNullable()
      table.text('authority_name').notNullable()
      table.string('authority_country', 2).notNullable()
      table.string('authority_type', 32).notNullable()
      table.text('authority_contact').nullable()
      table.text('contact_verification').nullable()
      table.timestamp('contact_verified_at', { useTz: true }).nullable()
      table.string('instrument_type', 32).notNullable()
      table.string('instrument_reference', 200).nullable()
      table.string('instrument_document_path', 300).nullable()
      table.text('instrument_document_name').nullable()
      table.string('instrument_document_sha256', 64).nullable()
      table.integer('instrument_document_size').nullable()
      table.text('legal_basis').notNullable()
      table.timestamp('received_at', { useTz: true }).notNullable()
      table.string('deadline_rule', 24).notNullable()
      table.timestamp('due_at', { useTz: true }).notNullable()
      table.text('scope_identifiers').nullable()
      table.integer('scope_identifier_count').notNullable().defaultTo(0)
      table.jsonb('scope_merchant_ids').notNullable().defaultTo('[]')
      table.jsonb('scope_categories').notNullable().defaultTo('[]')
      table.date('scope_from').nullable()
      table.date('scope_to').nullable()
      table.boolean('gag_order').notNullable().defaultTo(false)
      table.date('gag_until').nullable()
      table.boolean('own_conduct').notNullable().defaultTo(false)
      table.date('preserve_until').nullable()
      table.jsonb('assessment').notNullable().defaultTo('{}')
      table.integer('assessed_by_user_id').nullable().references('id').inTable('users')
      table.timestamp('assessed_at', { useTz: true }).nullable()
      table.integer('created_by_user_id').nullable().references('id').inTable('users')
      table.timestamp('answered_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['status', 'due_at'])
      table.index(['received_at'])
    })
    requireSealed(this.schema, 'government_requests', REQUEST_SEALED)

    this.schema.createTable('government_request_decisions', (table) => {
      table.increments('id')
      table
        .integer('request_id')
        .notNullable()
        .references('id')
        .inTable('government_requests')
        .onDelete('CASCADE')
      table.string('outcome', 24).notNullable()
      table.text('reasons').notNullable()
      table.string('status', 16).notNullable()
      table.jsonb('approved_identifiers').notNullable().defaultTo('[]')
      table.jsonb('approved_merchant_ids').notNullable().defaultTo('[]')
      table.jsonb('approved_categories').notNullable().defaultTo('[]')
      table.integer('proposed_by_user_id').nullable().references('id').inTable('users')
      table.timestamp('proposed_at', { useTz: true }).notNullable()
      table.integer('approved_by_user_id').nullable().references('id').inTable('users')
      table.timestamp('approved_at', { useTz: true }).nullable()
      table.string('challenge_result', 16).nullable()
      table.timestamp('challenge_resolved_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['request_id', 'status'])
    })

    this.schema.createTable('government_request_disclosures', (table) => {
      table.increments('id')
      table
        .integer('request_id')
        .notNullable()
        .references('id')
        .inTable('government_requests')
        .onDelete('CASCADE')
      table
        .integer('decision_id')
        .notNullable()
        .references('id')
        .inTable('government_request_decisions')
      table.text('recipient').notNullable()
      table.text('items').notNullable()
      table.integer('subject_count').notNullable()
      table.jsonb('categories').notNullable().defaultTo('[]')
      table.jsonb('merchant_ids').notNullable().defaultTo('[]')
      table.string('package_sha256', 64).notNullable()
      table.string('cover_letter_sha256', 64).notNullable()
      table.string('jwe_sha256', 64).notNullable()
      table.string('jwe_path', 300).notNullable()
      table.text('delivery_key').notNullable()
      table.integer('prepared_by_user_id').nullable().references('id').inTable('users')
      table.integer('approved_by_user_id').nullable().references('id').inTable('users')
      table.string('channel', 16).notNullable()
      table.timestamp('delivered_at', { useTz: true }).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
    })
    requireSealed(this.schema, 'government_request_disclosures', DISCLOSURE_SEALED)

    this.schema.createTable('government_request_notices', (table) => {
      table.increments('id')
      table
        .integer('request_id')
        .notNullable()
        .references('id')
        .inTable('government_requests')
        .onDelete('CASCADE')
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.string('status', 16).notNullable()
      table.date('deferred_until').nullable()
      table.timestamp('deferred_at', { useTz: true }).nullable()
      table.timestamp('sent_at', { useTz: true }).nullable()
      table.integer('emails').notNullable().defaultTo(0)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['request_id', 'merchant_id'])
      table.index(['status', 'deferred_until'])
    })

    this.schema.createTable('transparency_reports', (table) => {
      table.increments('id')
      table.string('period', 16).notNullable().unique()
      table.jsonb('figures').notNullable()
      table.string('report_document_id', 64).nullable()
      table.integer('published_by_user_id').nullable().references('id').inTable('users')
      table.timestamp('published_at', { useTz: true }).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
    })
  }

  async down() {
    this.schema.dropTable('transparency_reports')
    this.schema.dropTable('government_request_notices')
    dropSealedChecks(this.schema, 'government_request_disclosures', DISCLOSURE_SEALED)
    this.schema.dropTable('government_request_disclosures')
    this.schema.dropTable('government_request_decisions')
    dropSealedChecks(this.schema, 'government_requests', REQUEST_SEALED)
    this.schema.dropTable('government_requests')
  }
}
