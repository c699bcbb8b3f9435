import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

const SEALED = [
  'subject_phone',
  'subject_wa_id',
  'subject_bsuid',
  'subject_instagram_id',
  'subject_email',
  'subject_customer_ref',
  'rectification_values',
  'notes',
  'refusal_text',
]

/*
 * Data-subject request cases (GDPR Arts. 12, 15–22; PDPL Art. 2). The merchant is the
 * controller: `received_on` is the day the merchant received the request, from which the
 * Art. 12(3) deadline (`due_at`, a day on the merchant's jurisdiction calendar) runs. Subject
 * identifiers are sealed under the merchant's key with blind indexes for exact matching.
 */
export default class extends BaseSchema {
  protected tableName = 'dsr_cases'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('reference', 32).notNullable().unique()
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.string('type', 32).notNullable()
      table.string('status', 24).notNullable().defaultTo('received')
      // what the case waits for while in progress: legal_hold | ambiguous_identity | human_decision
      table.string('waiting_on', 24).nullable()
      table.string('source', 16).notNullable()
      table.text('subject_phone').nullable()
      table.string('subject_phone_bidx', 64).nullable()
      table.text('subject_wa_id').nullable()
      table.string('subject_wa_id_bidx', 64).nullable()
      table.text('subject_bsuid').nullable()
      table.string('subject_bsuid_bidx', 64).nullable()
      table.text('subject_instagram_id').nullable()
      table.string('subject_instagram_id_bidx', 64).nullable()
      table.text('subject_email').nullable()
      table.string('subject_email_bidx', 64).nullable()
      table.text('subject_customer_ref').nullable()
      // the located customer when exactly one matched (no FK: the customer may be erased)
      table.integer('customer_id').nullable()
      table.boolean('identity_verified').notNullable().defaultTo(false)
      table.text('rectification_values').nullable()
      table.text('notes').nullable()
      table.date('received_on').notNullable()
      table.string('jurisdiction', 2).notNullable()
      table.date('original_due_at').notNullable()
      table.date('due_at').notNullable()
      table.date('internal_due_at').notNullable()
      table.smallint('extension_months').nullable()
      table.text('extension_reason').nullable()
      table.timestamp('extended_at', { useTz: true }).nullable()
      table.integer('records_found').nullable()
      table.integer('legal_hold_id').nullable()
      table.string('refusal_code', 32).nullable()
      table.text('refusal_text').nullable()
      table
        .integer('assignee_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table
        .integer('created_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.integer('api_token_id').nullable()
      table.string('idempotency_key', 200).nullable()
      table.integer('customer_rights_request_id').nullable()
      table.timestamp('closed_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(
        `type IN ('access', 'portability', 'erasure', 'rectification', 'restriction', 'objection', 'automated_decision_review')`,
        [],
        'dsr_cases_type_check'
      )
      table.check(
        `status IN ('received', 'in_progress', 'awaiting_merchant', 'completed', 'refused', 'cancelled')`,
        [],
        'dsr_cases_status_check'
      )
      table.check(
        `source IN ('api', 'portal', 'console', 'chat', 'privacy_email')`,
        [],
        'dsr_cases_source_check'
      )
      table.check(
        `refusal_code IS NULL OR refusal_code IN ('no_match', 'suspected_fraud', 'outside_jurisdiction', 'manifestly_unfounded', 'legal_hold', 'other')`,
        [],
        'dsr_cases_refusal_code_check'
      )
      table.check(`status <> 'refused' OR refusal_code IS NOT NULL`, [], 'dsr_cases_refusal_check')
      table.check(
        `extension_months IS NULL OR extension_months IN (1, 2)`,
        [],
        'dsr_cases_extension_check'
      )
      table.check(`jurisdiction IN ('EG', 'EU')`, [], 'dsr_cases_jurisdiction_check')
      table.unique(['merchant_id', 'idempotency_key'])
      table.index(['merchant_id', 'status'])
      table.index(['status', 'due_at'])
      table.index(['merchant_id', 'customer_id'])
    })
    requireSealed(this.schema, this.tableName, SEALED)

    // The case's timeline: status changes, actions and notes, oldest first
    this.schema.createTable('dsr_case_events', (table) => {
      table.bigIncrements('id')
      table
        .integer('dsr_case_id')
        .notNullable()
        .references('id')
        .inTable('dsr_cases')
        .onDelete('CASCADE')
      table.string('kind', 48).notNullable()
      table.string('from_status', 24).nullable()
      table.string('to_status', 24).nullable()
      table.string('actor_type', 16).notNullable()
      table.string('actor_id', 64).nullable()
      // codes and numbers only, never personal data
      table.jsonb('detail').notNullable().defaultTo('{}')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['dsr_case_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('dsr_case_events')
    dropSealedChecks(this.schema, this.tableName, SEALED)
    this.schema.dropTable(this.tableName)
  }
}
