import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The data map's vocabulary: data categories (dot-path codes), data-subject categories and
 * purposes. DESIGN.md §5: the prohibited purposes can never be made allowable, so the database
 * refuses it too, not only the service.
 */
const PROHIBITED_PURPOSE_CODES = [
  'marketing.advertising',
  'ai.model_training',
  'profiling.cross_merchant',
  'data.sale',
]

const DOT_PATH = `'^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'`

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('data_categories', (table) => {
      table.increments('id')
      table.string('code', 120).notNullable().unique()
      table.string('name', 160).notNullable()
      table.text('description').notNullable().defaultTo('')
      table.string('sensitivity', 16).notNullable()
      table.boolean('special_category').notNullable().defaultTo(false)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`code ~ ${DOT_PATH}`, [], 'data_categories_code_dot_path')
      table.check(`sensitivity IN ('low', 'medium', 'high')`, [], 'data_categories_sensitivity')
    })

    this.schema.createTable('data_subject_categories', (table) => {
      table.increments('id')
      table.string('code', 80).notNullable().unique()
      table.string('name', 160).notNullable()
      table.text('description').notNullable().defaultTo('')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`code ~ '^[a-z][a-z0-9_.]*$'`, [], 'data_subject_categories_code')
    })

    const prohibited = PROHIBITED_PURPOSE_CODES.map((code) => `'${code}'`).join(', ')
    this.schema.createTable('purposes', (table) => {
      table.increments('id')
      table.string('code', 80).notNullable().unique()
      table.string('name', 160).notNullable()
      table.text('description').notNullable().defaultTo('')
      table.string('status', 16).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.check(`status IN ('allowed', 'prohibited')`, [], 'purposes_status')
      table.check(`code ~ '^[a-z][a-z0-9_.]*$'`, [], 'purposes_code')
      table.check(
        `status = 'prohibited' OR code NOT IN (${prohibited})`,
        [],
        'purposes_prohibited_never_allowed'
      )
    })
  }

  async down() {
    this.schema.dropTable('purposes')
    this.schema.dropTable('data_subject_categories')
    this.schema.dropTable('data_categories')
  }
}
