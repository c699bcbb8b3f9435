import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#access/models/user'
import { merchantUser, staffUser, createMerchant } from '#tests/helpers/actors'
import keyring from '#keys/services/keyring'

test.group('Users: e-mail and name sealed with #keys', () => {
  test('staff identity is sealed under the platform scope, merchant users under their merchant', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const staff = await staffUser('dpo')
    const member = await merchantUser(merchant, 'merchant_agent')

    for (const user of [staff, member]) {
      const raw = await db.from('users').where('id', user.id).firstOrFail()
      assert.match(raw.email, /^e1\.m\d+\./)
      assert.match(raw.full_name, /^e1\.m\d+\./)
      assert.match(raw.email_bidx, /^[0-9a-f]{64}$/)
      assert.notInclude(raw.email, '@')
    }
    keyring.reset()
    const reread = await User.findOrFail(member.id)
    assert.equal(reread.email, member.email)
    assert.equal(reread.fullName, member.fullName)

    // A merchant user's sealed e-mail does not open as the platform's (scope bound in the AAD)
    const rawMember = await db.from('users').where('id', member.id).firstOrFail()
    await db.from('users').where('id', staff.id).update({ full_name: rawMember.full_name })
    await assert.rejects(() => User.findOrFail(staff.id), /cannot be opened/)
    // The tampered account must not linger for other suites' user lists
    await db.from('users').where('id', staff.id).delete()
  })

  test('findByEmail finds a user by any spelling of the address through the blind index', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const member = await merchantUser(merchant, 'merchant_admin')
    const found = await User.findByEmail(`  ${member.email.toUpperCase()} `)
    assert.equal(found?.id, member.id)
    assert.isNull(await User.findByEmail('nobody@example.test'))
  })

  test('two accounts cannot share an e-mail, whatever its case', async ({ assert }) => {
    const staff = await staffUser('auditor')
    const duplicate = User.create({
      kind: 'staff',
      merchantId: null,
      email: staff.email.toUpperCase(),
      fullName: 'Someone Else',
      password: 'Another-Password-123',
    })
    await assert.rejects(() => duplicate, /email_bidx|unique/)
  })
})
