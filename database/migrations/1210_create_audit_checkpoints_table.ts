import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Signed checkpoints of the audit chain head: a deletion at the tail of `audit_events` leaves no
 * broken link, but it does leave a checkpoint naming an event that is gone. Append-only like the
 * chain (reusing its trigger function), and TRUNCATE is refused on both tables: a statement-level
 * TRUNCATE never fires the row triggers.
 */
export default class extends BaseSchema {
  protected tableName = 'audit_checkpoints'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.bigInteger('event_id').notNullable()
      table.specificType('event_hash', 'char(64)').notNullable()
      table.timestamp('taken_at', { useTz: true, precision: 3 }).notNullable()
      table.text('signature').notNullable()
      table.string('key_id', 64).notNullable()
      table.index(['event_id'])
    })
    // Names the table it guards, now that it guards two
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END;
      $$ LANGUAGE plpgsql;
    `)
    this.schema.raw(`
      CREATE TRIGGER audit_checkpoints_no_rewrite BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    `)
    for (const table of ['audit_events', 'audit_checkpoints']) {
      this.schema.raw(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
      `)
    }
  }

  async down() {
    this.schema.raw('DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events')
    this.schema.dropTable(this.tableName)
  }
}
