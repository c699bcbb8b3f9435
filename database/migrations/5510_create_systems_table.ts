import { BaseSchema } from '@adonisjs/lucid/schema'

/* Where data lives or passes through: the hub's own stores and the external services it calls. */
export default class extends BaseSchema {
  protected tableName = 'systems'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('code', 80).notNullable().unique()
      table.string('name', 160).notNullable()
      table.string('kind', 24).notNullable()
      table.text('description').notNullable().defaultTo('')
      table.specificType('location_country', 'char(2)').notNullable()
      table
        .integer('subprocessor_id')
        .nullable()
        .references('id')
        .inTable('subprocessors')
        .onDelete('RESTRICT')
      table.jsonb('security_measures').notNullable().defaultTo('[]')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(
        `kind IN ('database', 'cache', 'file_storage', 'external_api', 'channel', 'kms')`,
        [],
        'systems_kind'
      )
      table.check(`location_country ~ '^[A-Z]{2}$'`, [], 'systems_location_country')
      table.index(['subprocessor_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
