import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Art. 30(2) processing activities. Conversera is always the processor; the controller is one
 * merchant (merchant_id) or every merchant (NULL). A trigger refuses a prohibited purpose, so
 * no code path (console, seed, SQL) can attach one.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('processing_activities', (table) => {
      table.increments('id')
      table.string('code', 80).notNullable().unique()
      table.string('name', 160).notNullable()
      table.text('description').notNullable().defaultTo('')
      table
        .integer('merchant_id')
        .nullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.integer('purpose_id').notNullable().references('id').inTable('purposes')
      table.integer('retention_days').notNullable()
      table.text('retention_note').notNullable().defaultTo('')
      table.jsonb('security_measures').notNullable().defaultTo('[]')
      table.string('status', 16).notNullable().defaultTo('active')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check('retention_days > 0', [], 'processing_activities_retention_positive')
      table.check(`status IN ('active', 'retired')`, [], 'processing_activities_status')
      table.index(['merchant_id'])
    })

    for (const [join, column, target] of [
      ['processing_activity_categories', 'data_category_id', 'data_categories'],
      ['processing_activity_subjects', 'data_subject_category_id', 'data_subject_categories'],
      ['processing_activity_systems', 'system_id', 'systems'],
    ]) {
      this.schema.createTable(join, (table) => {
        table
          .integer('processing_activity_id')
          .notNullable()
          .references('id')
          .inTable('processing_activities')
          .onDelete('CASCADE')
        table.integer(column).notNullable().references('id').inTable(target).onDelete('RESTRICT')
        table.primary(['processing_activity_id', column])
      })
    }

    this.schema.raw(`
      CREATE OR REPLACE FUNCTION processing_activities_refuse_prohibited() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM purposes WHERE id = NEW.purpose_id AND status = 'prohibited') THEN
          RAISE EXCEPTION 'purpose % is prohibited and cannot carry a processing activity', NEW.purpose_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql;
    `)
    this.schema.raw(`
      CREATE TRIGGER processing_activities_purpose_allowed
      BEFORE INSERT OR UPDATE OF purpose_id ON processing_activities
      FOR EACH ROW EXECUTE FUNCTION processing_activities_refuse_prohibited();
    `)
    // A purpose in use cannot be re-labelled prohibited underneath its activities either.
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION purposes_refuse_prohibiting_in_use() RETURNS trigger AS $$
      BEGIN
        IF NEW.status = 'prohibited' AND EXISTS (SELECT 1 FROM processing_activities WHERE purpose_id = NEW.id) THEN
          RAISE EXCEPTION 'purpose % is used by processing activities', NEW.code
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql;
    `)
    this.schema.raw(`
      CREATE TRIGGER purposes_prohibit_in_use BEFORE UPDATE OF status ON purposes
      FOR EACH ROW EXECUTE FUNCTION purposes_refuse_prohibiting_in_use();
    `)
  }

  async down() {
    this.schema.raw('DROP TRIGGER IF EXISTS purposes_prohibit_in_use ON purposes')
    this.schema.raw('DROP FUNCTION IF EXISTS purposes_refuse_prohibiting_in_use()')
    this.schema.dropTable('processing_activity_systems')
    this.schema.dropTable('processing_activity_subjects')
    this.schema.dropTable('processing_activity_categories')
    this.schema.dropTable('processing_activities')
    this.schema.raw('DROP FUNCTION IF EXISTS processing_activities_refuse_prohibited()')
  }
}
