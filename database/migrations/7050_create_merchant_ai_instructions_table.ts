import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * What the AI may say for a merchant: its products with prices, its policies, tone, reply
 * languages and escalation rules (the gateway's `MerchantInstructions`). Business data, one row
 * per merchant.
 */
export default class extends BaseSchema {
  protected tableName = 'merchant_ai_instructions'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('merchant_id')
        .notNullable()
        .unique()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.jsonb('products').notNullable().defaultTo('[]')
      table.jsonb('returns_policy').nullable()
      table.jsonb('delivery_policy').nullable()
      table.jsonb('payment_policy').nullable()
      table.string('tone', 16).notNullable().defaultTo('friendly')
      table.jsonb('languages').notNullable().defaultTo('["ar","en"]')
      table.jsonb('escalation_rules').notNullable().defaultTo('{}')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`tone IN ('friendly', 'formal')`, [], 'merchant_ai_instructions_tone')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
