import { test } from '@japa/runner'
import { createMerchant } from '#tests/helpers/actors'
import db from '@adonisjs/lucid/services/db'
import { BaseModel, beforeSave, column } from '@adonisjs/lucid/orm'
import {
  SealedNote,
  ensureSealedNotesTable,
  dropSealedNotesTable,
} from '#tests/helpers/sealed_notes'
import { PlaintextRefused, blindIndexOf, encrypted } from '#keys/encrypted_columns'
import keyring from '#keys/services/keyring'
import fieldCipher from '#keys/services/field_cipher'

/** A model with its own beforeSave hook, declared before the class body ends, like User's. */
class NormalizedNote extends BaseModel {
  static table = 'keys_test_notes'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number | null

  @encrypted({ merchant: 'merchantId' })
  declare body: string

  @beforeSave()
  static lowerCase(note: NormalizedNote) {
    if (note.$dirty.body) note.body = note.body.toLowerCase()
  }
}

async function rawNote(id: number) {
  return db.from('keys_test_notes').where('id', id).firstOrFail()
}

test.group('Encrypted model columns (local KMS)', (group) => {
  group.setup(() => ensureSealedNotesTable())
  group.teardown(async () => {
    await dropSealedNotesTable()
  })

  test('personal data is stored sealed and read back as plaintext', async ({ assert }) => {
    const merchant = await createMerchant()
    const note = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 41,
      body: 'Order 1182 goes to the side door',
      customerName: 'Layla Haddad',
      phone: '+20 100 123 4567',
    })
    // The instance keeps plaintext after saving
    assert.equal(note.customerName, 'Layla Haddad')

    const raw = await rawNote(note.id)
    assert.match(raw.body, /^e1\.m1\./)
    assert.match(raw.customer_name, /^e1\.s1\./)
    assert.match(raw.phone, /^e1\.m1\./)
    assert.match(raw.phone_bidx, /^[0-9a-f]{64}$/)
    for (const value of [raw.body, raw.customer_name, raw.phone]) {
      assert.notInclude(value, 'Layla')
      assert.notInclude(value, '1001234567')
    }

    const found = await SealedNote.findOrFail(note.id)
    assert.equal(found.body, 'Order 1182 goes to the side door')
    assert.equal(found.customerName, 'Layla Haddad')
    assert.equal(found.phone, '+20 100 123 4567')
    const [fetched] = await SealedNote.query().where('id', note.id)
    assert.equal(fetched.customerName, 'Layla Haddad')
  })

  test('updating one column re-seals it and leaves the row readable', async ({ assert }) => {
    const merchant = await createMerchant()
    const note = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 1,
      body: 'first',
      customerName: 'A',
      phone: null,
    })
    const before = await rawNote(note.id)
    const found = await SealedNote.findOrFail(note.id)
    found.body = 'second'
    await found.save()
    const after = await rawNote(note.id)
    assert.notEqual(after.body, before.body)
    assert.equal(after.customer_name, before.customer_name)
    assert.isNull(after.phone_bidx)
    assert.equal(await SealedNote.findOrFail(note.id).then((value) => value.body), 'second')
  })

  test('a ciphertext copied to another merchant, subject or column fails to open', async ({
    assert,
  }) => {
    const [a, b] = [await createMerchant(), await createMerchant()]
    const source = await SealedNote.create({
      merchantId: a.id,
      customerId: 5,
      body: 'merchant A secret',
      customerName: 'Omar',
      phone: null,
    })
    const target = await SealedNote.create({
      merchantId: b.id,
      customerId: 5,
      body: 'merchant B',
      customerName: 'Other',
      phone: null,
    })
    const sibling = await SealedNote.create({
      merchantId: a.id,
      customerId: 6,
      body: 'x',
      customerName: 'Sara',
      phone: null,
    })
    const raw = await rawNote(source.id)

    await db.from('keys_test_notes').where('id', target.id).update({ body: raw.body })
    await assert.rejects(() => SealedNote.findOrFail(target.id), /cannot be opened/)

    await db
      .from('keys_test_notes')
      .where('id', sibling.id)
      .update({ customer_name: raw.customer_name })
    await assert.rejects(() => SealedNote.findOrFail(sibling.id), /cannot be opened/)

    const sameRow = await SealedNote.create({
      merchantId: a.id,
      customerId: 5,
      body: 'y',
      customerName: 'Omar',
      phone: null,
    })
    await db.from('keys_test_notes').where('id', sameRow.id).update({ body: raw.customer_name })
    await assert.rejects(() => SealedNote.findOrFail(sameRow.id), /cannot be opened/)
  })

  test('tampering with a stored value is reported as an integrity error', async ({ assert }) => {
    const merchant = await createMerchant()
    const note = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 2,
      body: 'intact',
      customerName: null,
      phone: null,
    })
    const raw = await rawNote(note.id)
    const flipped =
      raw.body.slice(0, -3) + (raw.body.at(-3) === 'A' ? 'B' : 'A') + raw.body.slice(-2)
    await db.from('keys_test_notes').where('id', note.id).update({ body: flipped })
    const error = await SealedNote.findOrFail(note.id).catch((e) => e)
    assert.equal(error.code, 'ciphertext_invalid')
  })

  test('nothing can be written unsealed, even by skipping the hooks', async ({ assert }) => {
    const merchant = await createMerchant()
    const note = new SealedNote().merge({
      merchantId: merchant.id,
      customerId: 3,
      body: 'plain',
      customerName: null,
      phone: null,
    })
    await assert.rejects(() => note.saveQuietly(), PlaintextRefused as any)
    const count = await db
      .from('keys_test_notes')
      .where('merchant_id', merchant.id)
      .count('* as total')
      .first()
    assert.equal(Number(count.total), 0)
  })

  test('blind indexes find exact matches and are unrelated across merchants', async ({
    assert,
  }) => {
    const [a, b] = [await createMerchant(), await createMerchant()]
    const atA = await SealedNote.create({
      merchantId: a.id,
      customerId: 9,
      body: 'n',
      customerName: null,
      phone: '+44 20 7946 0958',
    })
    const atB = await SealedNote.create({
      merchantId: b.id,
      customerId: 9,
      body: 'n',
      customerName: null,
      phone: '+442079460958',
    })
    const [rawA, rawB] = [await rawNote(atA.id), await rawNote(atB.id)]
    assert.notEqual(rawA.phone_bidx, rawB.phone_bidx)

    const lookup = await blindIndexOf(SealedNote, 'phone', '0044 20 7946-0958', a.id)
    const hits = await SealedNote.query().where('phone_bidx', lookup)
    assert.deepEqual(
      hits.map((h) => h.id),
      [atA.id]
    )
    assert.equal(hits[0].phone, '+44 20 7946 0958')
  })

  test('the platform scope seals staff-level data apart from every merchant', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const platformValue = await fieldCipher.seal('staff@conversera.test', {
      merchantId: null,
      table: 'users',
      column: 'email',
    })
    assert.equal(
      await fieldCipher.open(platformValue, { merchantId: null, table: 'users', column: 'email' }),
      'staff@conversera.test'
    )
    await assert.rejects(
      () =>
        fieldCipher.open(platformValue, {
          merchantId: merchant.id,
          table: 'users',
          column: 'email',
        }),
      /cannot be opened|no keys/
    )
    const scope = await db.from('kms_keys').where('scope', 'platform').firstOrFail()
    assert.isNull(scope.merchant_id)
  })

  test('the data key is unwrapped once and then served from the cache', async ({ assert }) => {
    const merchant = await createMerchant()
    await SealedNote.create({
      merchantId: merchant.id,
      customerId: 1,
      body: 'warm-up',
      customerName: null,
      phone: null,
    })
    const misses = keyring.cache.misses
    for (let i = 0; i < 50; i++) {
      await fieldCipher.seal(`value ${i}`, {
        merchantId: merchant.id,
        table: 'keys_test_notes',
        column: 'body',
      })
    }
    assert.equal(keyring.cache.misses, misses)
  })

  test("a model's own beforeSave hooks see plaintext: sealing runs after them", async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const note = await NormalizedNote.create({ merchantId: merchant.id, body: 'MiXeD Case' })
    const found = await NormalizedNote.findOrFail(note.id)
    assert.equal(found.body, 'mixed case')
    const raw = await rawNote(note.id)
    assert.match(raw.body, /^e1\.m1\./)
  })
})
