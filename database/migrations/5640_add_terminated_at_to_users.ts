import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The date an account ended, from which the 90-day retention of staff and merchant accounts
 * counts (`account_terminated_at` rules). Kept by triggers so every path that ends an account
 * sets it: disabling the user (cleared again if re-enabled), or its merchant becoming
 * terminated.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.timestamp('terminated_at', { useTz: true }).nullable()
      table.index(['terminated_at'])
    })
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION users_track_termination() RETURNS trigger AS $$
      BEGIN
        IF NEW.disabled_at IS NOT NULL AND NEW.terminated_at IS NULL THEN
          NEW.terminated_at := NEW.disabled_at;
        ELSIF NEW.disabled_at IS NULL AND TG_OP = 'UPDATE' AND OLD.disabled_at IS NOT NULL THEN
          NEW.terminated_at := NULL;
        END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql;
    `)
    this.schema.raw(`
      CREATE TRIGGER users_termination_date BEFORE INSERT OR UPDATE OF disabled_at ON users
      FOR EACH ROW EXECUTE FUNCTION users_track_termination();
    `)
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION merchants_terminate_accounts() RETURNS trigger AS $$
      BEGIN
        IF NEW.status = 'terminated' AND OLD.status IS DISTINCT FROM 'terminated' THEN
          UPDATE users SET terminated_at = now()
           WHERE merchant_id = NEW.id AND terminated_at IS NULL;
        END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql;
    `)
    this.schema.raw(`
      CREATE TRIGGER merchants_account_termination AFTER UPDATE OF status ON merchants
      FOR EACH ROW EXECUTE FUNCTION merchants_terminate_accounts();
    `)
  }

  async down() {
    this.schema.raw('DROP TRIGGER IF EXISTS merchants_account_termination ON merchants')
    this.schema.raw('DROP FUNCTION IF EXISTS merchants_terminate_accounts()')
    this.schema.raw('DROP TRIGGER IF EXISTS users_termination_date ON users')
    this.schema.raw('DROP FUNCTION IF EXISTS users_track_termination()')
    this.schema.alterTable('users', (table) => {
      table.dropColumn('terminated_at')
    })
  }
}
