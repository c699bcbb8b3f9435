import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  SealedNote,
  ensureSealedNotesTable,
  dropSealedNotesTable,
} from '#tests/helpers/sealed_notes'
import { missingSealedChecks, sealedCheckName } from '#keys/sealed_constraints'
import { checkFieldInventory } from '#data_map/inventory/schema_check'
import keyRotation from '#keys/services/key_rotation'
import User from '#access/models/user'
import { staffUser, createMerchant } from '#tests/helpers/actors'

async function rawNote(id: number) {
  return db.from('keys_test_notes').where('id', id).firstOrFail()
}

async function bodyOf(id: number) {
  const note = await SealedNote.findOrFail(id)
  return note.body
}

async function rawBody(id: number) {
  const row = await rawNote(id)
  return row.body
}

/** Runs `change` in a transaction that is always rolled back. */
async function rolledBack(change: (trx: any) => Promise<void>) {
  const rollback = new Error('rollback')
  await db
    .transaction(async (trx) => {
      await change(trx)
      throw rollback
    })
    .catch((error) => {
      if (error !== rollback) throw error
    })
}

test.group('Sealed columns refuse plaintext and stay in their row', (group) => {
  group.setup(() => ensureSealedNotesTable())
  group.teardown(async () => {
    await dropSealedNotesTable()
  })

  test('a ciphertext copied to another row of the same merchant and column does not open', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const [source, target] = [
      await SealedNote.create({ merchantId: merchant.id, customerId: 1, body: 'source' }),
      await SealedNote.create({ merchantId: merchant.id, customerId: 2, body: 'target' }),
    ]
    const raw = await rawNote(source.id)
    await db.from('keys_test_notes').where('id', target.id).update({ body: raw.body })
    const error = await SealedNote.findOrFail(target.id).catch((e) => e)
    assert.equal(error.code, 'ciphertext_invalid')
    assert.equal(await bodyOf(source.id), 'source')
  })

  test('a new row is bound to the id it gets: it reads back, and rotation re-seals it in place', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const note = await SealedNote.create({ merchantId: merchant.id, customerId: 3, body: 'first' })
    assert.isAbove(note.id, 0)
    assert.equal(await bodyOf(note.id), 'first')

    const rotation = await keyRotation.start(
      merchant.id,
      { type: 'system', id: 'test' },
      { enqueue: false }
    )
    await keyRotation.run(rotation.id)
    assert.match(await rawBody(note.id), /^e1\.m2\./)
    assert.equal(await bodyOf(note.id), 'first')
  })

  test('reading a sealed column that holds plaintext fails instead of passing it on', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const note = await SealedNote.create({ merchantId: merchant.id, customerId: 4, body: 'kept' })
    // Only with the database's check out of the way can plaintext get there at all
    await rolledBack(async (trx) => {
      await trx.rawQuery(
        `ALTER TABLE keys_test_notes DROP CONSTRAINT ${sealedCheckName('keys_test_notes', 'body')}`
      )
      await trx
        .from('keys_test_notes')
        .where('id', note.id)
        .update({ body: 'written around the hooks' })
      const error = await SealedNote.query({ client: trx })
        .where('id', note.id)
        .firstOrFail()
        .catch((e) => e)
      assert.equal(error.code, 'ciphertext_invalid')
      assert.include(error.message, 'keys_test_notes.body holds an unsealed value')
    })
  })

  test('the database refuses plaintext in a sealed column, and NULL stays allowed', async ({
    assert,
  }) => {
    const user = await staffUser('auditor')
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.from('users').where('id', user.id).update({ email: 'plain@example.com' })
        ),
      new RegExp(sealedCheckName('users', 'email'))
    )
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.from('users').where('id', user.id).update({ full_name: 'e1.m1.not base64!' })
        ),
      new RegExp(sealedCheckName('users', 'full_name'))
    )
    const merchant = await createMerchant()
    const note = await SealedNote.create({ merchantId: merchant.id, customerId: 5, body: 'b' })
    const raw = await rawNote(note.id)
    assert.isNull(raw.phone)
    const unchanged = await User.findOrFail(user.id)
    assert.equal(unchanged.fullName, 'Test auditor')
  })

  test('datamap:check names a declared sealed column whose table lacks the check', async ({
    assert,
  }) => {
    assert.deepEqual(await missingSealedChecks(), [])
    const name = sealedCheckName('keys_test_notes', 'phone')
    await db.rawQuery(`ALTER TABLE keys_test_notes DROP CONSTRAINT ${name}`)
    try {
      assert.deepEqual(await missingSealedChecks(), [{ table: 'keys_test_notes', column: 'phone' }])
      const { issues } = await checkFieldInventory()
      assert.deepInclude(
        issues.filter((issue) => issue.kind === 'unchecked_seal'),
        {
          kind: 'unchecked_seal',
          table: 'keys_test_notes',
          column: 'phone',
          message: 'declared @encrypted but has no CHECK for the sealed form (requireSealed)',
        }
      )
    } finally {
      await ensureSealedNotesTable()
    }
  })
})
