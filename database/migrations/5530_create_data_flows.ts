import { BaseSchema } from '@adonisjs/lucid/schema'

/* A transfer of data: from one of our systems, to a subprocessor, processed in a country, under a mechanism. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('data_flows', (table) => {
      table.increments('id')
      table.string('name', 160).notNullable()
      table
        .integer('system_id')
        .notNullable()
        .references('id')
        .inTable('systems')
        .onDelete('CASCADE')
      table
        .integer('subprocessor_id')
        .notNullable()
        .references('id')
        .inTable('subprocessors')
        .onDelete('RESTRICT')
      table.specificType('destination_country', 'char(2)').notNullable()
      table.string('transfer_mechanism', 32).notNullable()
      table.text('description').notNullable().defaultTo('')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`destination_country ~ '^[A-Z]{2}$'`, [], 'data_flows_destination_country')
      table.check(
        `transfer_mechanism IN ('domestic', 'none_eea', 'adequacy', 'dpf', 'scc_module_2', 'scc_module_3', 'bcr', 'art49_derogation')`,
        [],
        'data_flows_transfer_mechanism'
      )
      table.unique(['system_id', 'subprocessor_id', 'destination_country'])
    })

    this.schema.createTable('data_flow_categories', (table) => {
      table
        .integer('data_flow_id')
        .notNullable()
        .references('id')
        .inTable('data_flows')
        .onDelete('CASCADE')
      table
        .integer('data_category_id')
        .notNullable()
        .references('id')
        .inTable('data_categories')
        .onDelete('RESTRICT')
      table.primary(['data_flow_id', 'data_category_id'])
    })
  }

  async down() {
    this.schema.dropTable('data_flow_categories')
    this.schema.dropTable('data_flows')
  }
}
