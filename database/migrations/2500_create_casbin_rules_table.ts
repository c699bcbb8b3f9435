import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Casbin policy rows. `p` rows are role -> permission rules written once with domain `*`;
 * `g` rows assign a subject a role in one domain (v2). Unused columns hold '' rather than NULL
 * so the unique index really makes a rule unique.
 */
export default class extends BaseSchema {
  protected tableName = 'casbin_rules'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.string('ptype', 8).notNullable()
      for (const column of ['v0', 'v1', 'v2', 'v3', 'v4', 'v5']) {
        table.string(column, 128).notNullable().defaultTo('')
      }
      table.unique(['ptype', 'v0', 'v1', 'v2', 'v3', 'v4', 'v5'])
      // Filtered loads ask for one domain: p rules by v1, g rows by v2
      table.index(['ptype', 'v1'])
      table.index(['ptype', 'v2'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
