import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('kind', 16).notNullable() // staff | merchant | service
      table
        .integer('merchant_id')
        .nullable()
        .references('id')
        .inTable('merchants')
        .onDelete('CASCADE')
      table.string('email', 254).notNullable().unique()
      table.string('full_name', 200).notNullable()
      table.string('password').notNullable()
      // TOTP secret, encrypted with the app's encryption service; set once enrolment is confirmed
      table.text('mfa_secret').nullable()
      table.timestamp('mfa_enabled_at', { useTz: true }).nullable()
      table.timestamp('last_login_at', { useTz: true }).nullable()
      table.timestamp('disabled_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`(kind = 'merchant') = (merchant_id IS NOT NULL)`)
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
