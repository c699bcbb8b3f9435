import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * users.email and users.full_name become sealed values (#keys: platform scope for staff, the
 * merchant's scope for merchant users), and e-mail lookups go through `email_bidx`, a blind
 * index under the platform index key (sign-in cannot know the merchant). Existing rows are
 * sealed in place; `down` opens them again.
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropUnique(['email'])
      table.text('email').notNullable().alter()
      table.text('full_name').notNullable().alter()
      table.specificType('email_bidx', 'char(64)').nullable().unique()
    })
    this.defer(async (client) => {
      const { default: fieldCipher, isSealed } = await import('#keys/services/field_cipher')
      const { blindIndex } = await import('#keys/services/blind_index')
      const users = await client
        .from(this.tableName)
        .select('id', 'merchant_id', 'email', 'full_name')
      for (const user of users) {
        if (isSealed(user.email)) continue
        const place = { merchantId: user.merchant_id ?? null, table: this.tableName }
        await client
          .from(this.tableName)
          .where('id', user.id)
          .update({
            email: await fieldCipher.seal(user.email.trim().toLowerCase(), {
              ...place,
              column: 'email',
            }),
            full_name: await fieldCipher.seal(user.full_name, { ...place, column: 'full_name' }),
            email_bidx: await blindIndex(null, 'email', user.email),
          })
      }
    })
    this.schema.alterTable(this.tableName, (table) => {
      table.specificType('email_bidx', 'char(64)').notNullable().alter()
    })
  }

  async down() {
    this.defer(async (client) => {
      const { default: fieldCipher, isSealed } = await import('#keys/services/field_cipher')
      const users = await client
        .from(this.tableName)
        .select('id', 'merchant_id', 'email', 'full_name')
      for (const user of users) {
        if (!isSealed(user.email)) continue
        const place = { merchantId: user.merchant_id ?? null, table: this.tableName }
        await client
          .from(this.tableName)
          .where('id', user.id)
          .update({
            email: await fieldCipher.open(user.email, { ...place, column: 'email' }),
            full_name: await fieldCipher.open(user.full_name, { ...place, column: 'full_name' }),
          })
      }
    })
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('email_bidx')
      table.string('full_name', 200).notNullable().alter()
      table.string('email', 254).notNullable().alter()
      table.unique(['email'])
    })
  }
}
