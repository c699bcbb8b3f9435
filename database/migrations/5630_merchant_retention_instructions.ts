import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Retention overrides are the merchant's instructions. The database enforces what the service
 * does: an override is shorter than the category rule and never longer than the instruction it
 * replaces; only the merchant may withdraw one (its transaction sets
 * `hub.retention_instruction_by = 'merchant'`), except when the merchant or category itself is
 * deleted. `recorded_by` says who wrote it down.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('merchant_retention_overrides', (table) => {
      table.string('recorded_by', 16).notNullable().defaultTo('merchant')
      table.check(
        `recorded_by IN ('merchant', 'staff')`,
        [],
        'merchant_retention_overrides_recorded_by'
      )
    })
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION merchant_retention_overrides_stricter() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF current_setting('hub.retention_instruction_by', true) = 'merchant'
             OR NOT EXISTS (SELECT 1 FROM merchants WHERE id = OLD.merchant_id)
             OR NOT EXISTS (SELECT 1 FROM data_categories WHERE id = OLD.data_category_id) THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'only the merchant may withdraw its retention instruction'
            USING ERRCODE = 'check_violation';
        END IF;
        IF NOT EXISTS (
          SELECT 1 FROM retention_rules
          WHERE data_category_id = NEW.data_category_id AND duration_days > NEW.duration_days
        ) THEN
          RAISE EXCEPTION 'a merchant retention override must be shorter than the category rule'
            USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' THEN
          IF NEW.merchant_id <> OLD.merchant_id OR NEW.data_category_id <> OLD.data_category_id THEN
            RAISE EXCEPTION 'a retention instruction cannot move to another merchant or category'
              USING ERRCODE = 'check_violation';
          END IF;
          IF NEW.duration_days > OLD.duration_days THEN
            RAISE EXCEPTION 'a retention instruction may only be shortened'
              USING ERRCODE = 'check_violation';
          END IF;
        END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql;
    `)
    this.schema.raw(`
      CREATE TRIGGER merchant_retention_overrides_withdrawal
      BEFORE DELETE ON merchant_retention_overrides
      FOR EACH ROW EXECUTE FUNCTION merchant_retention_overrides_stricter();
    `)
  }

  async down() {
    this.schema.raw(
      'DROP TRIGGER IF EXISTS merchant_retention_overrides_withdrawal ON merchant_retention_overrides'
    )
    this.schema.alterTable('merchant_retention_overrides', (table) => {
      table.dropChecks(['merchant_retention_overrides_recorded_by'])
      table.dropColumn('recorded_by')
    })
  }
}
