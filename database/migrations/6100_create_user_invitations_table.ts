import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * New accounts start without a password: the person sets it (and enrols MFA) through a
 * single-use, expiring invitation link. Only the SHA-256 of the link's secret is kept.
 */
export default class extends BaseSchema {
  protected tableName = 'user_invitations'

  async up() {
    this.schema.alterTable('users', (table) => {
      table.string('password').nullable().alter()
    })
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.string('token_hash', 64).notNullable().unique()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('accepted_at', { useTz: true }).nullable()
      table.timestamp('revoked_at', { useTz: true }).nullable()
      table.integer('created_by').nullable().references('id').inTable('users').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['user_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
    this.schema.alterTable('users', (table) => {
      table.string('password').notNullable().alter()
    })
  }
}
