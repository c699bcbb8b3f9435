import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The DSR locator counts a customer's rows per table with `merchant_id = ? AND customer_id =
 * ANY(?)`. On messages (the big table) an index on both answers that from the index alone,
 * without visiting 10k heap rows to check the merchant.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      'CREATE INDEX IF NOT EXISTS messages_customer_merchant_index ON messages (customer_id, merchant_id)'
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS messages_customer_merchant_index')
  }
}
