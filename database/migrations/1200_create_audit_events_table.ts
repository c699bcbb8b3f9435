import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Append-only, hash-chained audit trail. Each row stores the SHA-256 of the previous row, and a
 * trigger refuses UPDATE and DELETE so that only a superuser bypassing triggers can rewrite
 * history, which `audit:verify` then detects.
 */
export default class extends BaseSchema {
  protected tableName = 'audit_events'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable()
      table.string('action', 80).notNullable()
      table.string('outcome', 16).notNullable()
      table.string('actor_type', 16).notNullable()
      table.string('actor_id', 64).nullable()
      table.integer('merchant_id').nullable()
      table.string('target_type', 64).nullable()
      table.string('target_id', 64).nullable()
      table.string('purpose', 64).nullable()
      table.string('request_id', 64).nullable()
      table.jsonb('meta').notNullable().defaultTo('{}')
      table.specificType('prev_hash', 'char(64)').notNullable()
      table.specificType('hash', 'char(64)').notNullable().unique()
      table.index(['action', 'occurred_at'])
      table.index(['merchant_id', 'occurred_at'])
    })

    this.schema.raw(`
      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$ LANGUAGE plpgsql;
    `)
    this.schema.raw(`
      CREATE TRIGGER audit_events_no_rewrite BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    `)
  }

  async down() {
    this.schema.dropTable(this.tableName)
    this.schema.raw('DROP FUNCTION IF EXISTS audit_events_append_only()')
  }
}
