import { BaseSchema } from '@adonisjs/lucid/schema'
import { dropSealedChecks, requireSealed } from '#keys/sealed_constraints'

const SEALED = ['email', 'full_name'] as const

/*
 * Sealed values become bound to their row (the primary key joins the AAD), so a ciphertext copied
 * into another user's row no longer opens: existing users are re-sealed in place. And the
 * database now refuses anything but a sealed value in those columns.
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  private reseal(bind: boolean) {
    this.defer(async (client) => {
      const { default: fieldCipher } = await import('#keys/services/field_cipher')
      const users = await client.from(this.tableName).select('id', 'merchant_id', ...SEALED)
      for (const user of users) {
        const update: Record<string, string> = {}
        for (const column of SEALED) {
          const unbound = { merchantId: user.merchant_id ?? null, table: this.tableName, column }
          const bound = { ...unbound, row: String(user.id) }
          const plain = await fieldCipher.open(user[column], bind ? unbound : bound)
          update[column] = await fieldCipher.seal(plain, bind ? bound : unbound)
        }
        await client.from(this.tableName).where('id', user.id).update(update)
      }
    })
  }

  async up() {
    this.reseal(true)
    requireSealed(this.schema, this.tableName, [...SEALED])
  }

  async down() {
    dropSealedChecks(this.schema, this.tableName, [...SEALED])
    this.reseal(false)
  }
}
