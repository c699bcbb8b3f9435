import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Retention: one rule per data category (how long, counted from which timestamp), merchant
 * overrides that may only shorten it, and retention_runs as the evidence of each purge.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('retention_rules', (table) => {
      table.increments('id')
      table
        .integer('data_category_id')
        .notNullable()
        .unique()
        .references('id')
        .inTable('data_categories')
        .onDelete('CASCADE')
      table.integer('duration_days').notNullable()
      table.string('starts_from', 32).notNullable()
      table.text('basis').notNullable().defaultTo('')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check('duration_days > 0', [], 'retention_rules_duration_positive')
      table.check(
        `starts_from IN ('created_at', 'last_activity_at', 'closed_at', 'account_terminated_at')`,
        [],
        'retention_rules_starts_from'
      )
    })

    this.schema.createTable('merchant_retention_overrides', (table) => {
      table.increments('id')
      table
        .integer('merchant_id')
        .notNullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table
        .integer('data_category_id')
        .notNullable()
        .references('id')
        .inTable('data_categories')
        .onDelete('CASCADE')
      table.integer('duration_days').notNullable()
      table.text('reason').notNullable().defaultTo('')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['merchant_id', 'data_category_id'])
      table.check('duration_days > 0', [], 'merchant_retention_overrides_duration_positive')
    })

    // Overrides may only be stricter: the database refuses one that is not shorter than the rule.
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION merchant_retention_overrides_stricter() RETURNS trigger AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM retention_rules
          WHERE data_category_id = NEW.data_category_id AND duration_days > NEW.duration_days
        ) THEN
          RAISE EXCEPTION 'a merchant retention override must be shorter than the category rule'
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql;
    `)
    this.schema.raw(`
      CREATE TRIGGER merchant_retention_overrides_only_stricter
      BEFORE INSERT OR UPDATE ON merchant_retention_overrides
      FOR EACH ROW EXECUTE FUNCTION merchant_retention_overrides_stricter();
    `)

    this.schema.createTable('retention_runs', (table) => {
      table.increments('id')
      table.string('status', 16).notNullable()
      table.string('triggered_by', 32).notNullable()
      table.timestamp('started_at', { useTz: true }).notNullable()
      table.timestamp('finished_at', { useTz: true }).nullable()
      table.integer('tables_checked').notNullable().defaultTo(0)
      table.integer('rows_purged').notNullable().defaultTo(0)
      table.integer('rows_held').notNullable().defaultTo(0)
      // Per table: { table, category, purged, held, cutoffs }; counts and ids only.
      table.jsonb('evidence').notNullable().defaultTo('[]')
      table.string('error_code', 64).nullable()
      table.check(`status IN ('running', 'succeeded', 'failed')`, [], 'retention_runs_status')
      table.index(['started_at'])
    })
  }

  async down() {
    this.schema.dropTable('retention_runs')
    this.schema.dropTable('merchant_retention_overrides')
    this.schema.raw('DROP FUNCTION IF EXISTS merchant_retention_overrides_stricter()')
    this.schema.dropTable('retention_rules')
  }
}
