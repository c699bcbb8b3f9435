import { BaseSchema } from '@adonisjs/lucid/schema'

/* Who prepared a TIA, so its approval can go to someone else (segregation of duties). */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('transfer_impact_assessments', (table) => {
      table
        .integer('prepared_by_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
    })
  }

  async down() {
    this.schema.alterTable('transfer_impact_assessments', (table) => {
      table.dropColumn('prepared_by_user_id')
    })
  }
}
