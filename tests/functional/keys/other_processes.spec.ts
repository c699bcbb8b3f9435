import { test } from '@japa/runner'
import { createMerchant } from '#tests/helpers/actors'
import { Keyring } from '#keys/services/keyring'
import fieldCipher, { FieldCipher } from '#keys/services/field_cipher'
import keyRotation from '#keys/services/key_rotation'
import keyDestruction from '#keys/services/key_destruction'

/*
 * A second Keyring has its own caches and scope views, like another web or worker process
 * sharing the database; `scopeRefreshMs: 0` stands for "after its refresh window has passed".
 */
test.group('Keys seen from another process', () => {
  test('a value sealed under a version rotated elsewhere opens even with a stale view', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const place = { merchantId: merchant.id, table: 'notes', column: 'body' }
    const elsewhere = new FieldCipher(new Keyring({ scopeRefreshMs: 60_000 }))
    await elsewhere.seal('warm the view', place)

    await keyRotation.start(merchant.id, { type: 'system' }, { enqueue: false })
    const sealed = await fieldCipher.seal('written after rotation', place)
    assert.match(sealed, /^e1\.m2\./)
    assert.equal(await elsewhere.open(sealed, place), 'written after rotation')
  })

  test('once its view refreshes, another process seals with the new version', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const place = { merchantId: merchant.id, table: 'notes', column: 'body' }
    const elsewhere = new FieldCipher(new Keyring({ scopeRefreshMs: 0 }))
    assert.match(await elsewhere.seal('before', place), /^e1\.m1\./)
    await keyRotation.start(merchant.id, { type: 'system' }, { enqueue: false })
    assert.match(await elsewhere.seal('after', place), /^e1\.m2\./)
  })

  test('a subject key destroyed elsewhere stops opening here, cached or not', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const place = {
      merchantId: merchant.id,
      subject: 'customer:9',
      table: 'customers',
      column: 'name',
    }
    const sealed = await fieldCipher.seal('Huda', place)
    const elsewhere = new FieldCipher(new Keyring({ scopeRefreshMs: 0 }))
    assert.equal(await elsewhere.open(sealed, place), 'Huda')

    await keyDestruction.destroySubjectKey(merchant.id, 'customer:9', { actor: { type: 'system' } })
    await assert.rejects(() => elsewhere.open(sealed, place), /subject key has been destroyed/)
  })

  test("a merchant's keys destroyed elsewhere stop opening here", async ({ assert }) => {
    const merchant = await createMerchant()
    const place = { merchantId: merchant.id, table: 'notes', column: 'body' }
    const sealed = await fieldCipher.seal('order notes', place)
    const elsewhere = new FieldCipher(new Keyring({ scopeRefreshMs: 0 }))
    assert.equal(await elsewhere.open(sealed, place), 'order notes')

    await keyDestruction.destroyMerchantKeys(merchant.id, { actor: { type: 'system' } })
    await assert.rejects(() => elsewhere.open(sealed, place), /merchant key has been destroyed/)
  })
})
