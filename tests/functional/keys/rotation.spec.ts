import { test } from '@japa/runner'
import { createMerchant } from '#tests/helpers/actors'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import {
  SealedNote,
  ensureSealedNotesTable,
  dropSealedNotesTable,
} from '#tests/helpers/sealed_notes'
import keyRotation from '#keys/services/key_rotation'
import keyring from '#keys/services/keyring'
import { runJob } from '#core/queue'
import KeyRotation from '#keys/models/key_rotation'

async function rawNotes(merchantId: number) {
  return db.from('keys_test_notes').where('merchant_id', merchantId).orderBy('id')
}

async function seed(merchantId: number, count: number) {
  const notes = []
  for (let i = 0; i < count; i++) {
    notes.push(
      await SealedNote.create({
        merchantId,
        customerId: 100 + i,
        body: `note ${i}`,
        customerName: `Customer ${i}`,
        phone: `+2010000000${i % 10}`,
      })
    )
  }
  return notes
}

test.group('Data key rotation', (group) => {
  group.setup(() => ensureSealedNotesTable())
  group.teardown(async () => {
    await dropSealedNotesTable()
  })

  test('a new version seals writes at once while old rows stay readable mid-rotation', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const notes = await seed(merchant.id, 5)
    const rotation = await keyRotation.start(merchant.id, { type: 'system' }, { enqueue: false })
    assert.equal(rotation.toVersion, 2)
    assert.equal(rotation.status, 'queued')

    const fresh = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 1,
      body: 'after rotation',
      customerName: null,
      phone: null,
    })
    assert.match(
      await db
        .from('keys_test_notes')
        .where('id', fresh.id)
        .firstOrFail()
        .then((value) => value.body),
      /^e1\.m2\./
    )
    assert.equal(await SealedNote.findOrFail(notes[0].id).then((value) => value.body), 'note 0')

    // Reads during the job, from its progress callback, still open both versions
    const readsDuringRun: string[] = []
    await keyRotation.run(rotation.id, {
      progress: async () => {
        readsDuringRun.push(
          await SealedNote.findOrFail(notes[4].id).then((value) => value.body),
          await SealedNote.findOrFail(fresh.id).then((value) => value.body)
        )
      },
    })
    assert.isAbove(readsDuringRun.length, 0)
    assert.includeMembers(readsDuringRun, ['note 4', 'after rotation'])

    const raw = await rawNotes(merchant.id)
    for (const row of raw) {
      assert.match(row.body, /^e1\.m2\./)
      if (row.phone) assert.match(row.phone, /^e1\.m2\./)
    }
    const subjectVersions = await db
      .from('subject_keys')
      .where('scope', `merchant:${merchant.id}`)
      .select('data_key_version')
    assert.isTrue(subjectVersions.every((s) => s.data_key_version === 2))

    const versions = await db
      .from('data_keys')
      .where('scope', `merchant:${merchant.id}`)
      .orderBy('version')
    assert.deepEqual(
      versions.map((v) => [v.version, v.state, v.wrapped === null]),
      [
        [1, 'retired', true],
        [2, 'active', false],
      ]
    )
    const done = await KeyRotation.findOrFail(rotation.id)
    assert.equal(done.status, 'completed')
    assert.equal(done.rowsDone, 10)
    assert.equal(done.subjectKeysDone, 5)
    assert.equal(done.percent, 100)

    keyring.reset()
    const reread = await SealedNote.findOrFail(notes[2].id)
    assert.deepInclude(reread.$attributes, { body: 'note 2', customerName: 'Customer 2' })
  })

  test('a value left under a retired version says so instead of opening', async ({ assert }) => {
    const merchant = await createMerchant()
    const [note] = await seed(merchant.id, 1)
    const oldValue = await db
      .from('keys_test_notes')
      .where('id', note.id)
      .firstOrFail()
      .then((value) => value.body)
    const rotation = await keyRotation.start(merchant.id, { type: 'system' }, { enqueue: false })
    await keyRotation.run(rotation.id)
    await db.from('keys_test_notes').where('id', note.id).update({ body: oldValue })
    keyring.reset()
    const error = await SealedNote.findOrFail(note.id).catch((e) => e)
    assert.equal(error.code, 'key_retired')
  })

  test('a second rotation is refused while one is unfinished', async ({ assert }) => {
    const merchant = await createMerchant()
    await seed(merchant.id, 1)
    await keyRotation.start(merchant.id, { type: 'system' }, { enqueue: false })
    const error = await keyRotation
      .start(merchant.id, { type: 'system' }, { enqueue: false })
      .catch((e) => e)
    assert.equal(error.code, 'rotation_in_progress')
    assert.equal(error.status, 409)
  })

  test('keys:rotate --merchant rotates through the keys.rotate job and audits it', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    await seed(merchant.id, 3)
    const ace = await app.container.make('ace')
    const command = await ace.exec('keys:rotate', ['--merchant', merchant.slug, '--inline'])
    assert.equal(command.exitCode, 0)
    const raw = await rawNotes(merchant.id)
    assert.isTrue(raw.every((row) => row.body.startsWith('e1.m2.')))

    // The queued path: the job handler by its stable name
    const second = await keyRotation.start(merchant.id, { type: 'system' }, { enqueue: false })
    const result = (await runJob('keys.rotate', { rotationId: second.id })) as { status: string }
    assert.equal(result.status, 'completed')
    assert.isTrue(
      await rawNotes(merchant.id).then((rows) => rows.every((row) => row.body.startsWith('e1.m3.')))
    )

    const audited = await db
      .from('audit_events')
      .where('merchant_id', merchant.id)
      .whereIn('action', ['keys.rotation_started', 'keys.rotation_completed'])
      .count('* as total')
      .first()
    assert.equal(Number(audited.total), 4)
    const unknown = await ace.exec('keys:rotate', ['--merchant', 'no-such-merchant'])
    assert.equal(unknown.exitCode, 1)
  })

  test('master rotation re-wraps only the scope keys; sealed rows are untouched and readable', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const [note] = await seed(merchant.id, 1)
    const rowBefore = await db.from('keys_test_notes').where('id', note.id).firstOrFail()
    const kmsKey = await db.from('kms_keys').where('merchant_id', merchant.id).firstOrFail()
    const wrappedBefore = await db.from('data_keys').where('kms_key_id', kmsKey.id).firstOrFail()
    const subjectBefore = await db
      .from('subject_keys')
      .where('scope', `merchant:${merchant.id}`)
      .firstOrFail()

    const summary = await keyRotation.rotateMaster({ type: 'system' })
    assert.isAbove(summary.dataKeys, 0)
    assert.isAbove(summary.keystoreEntries, 0)

    const wrappedAfter = await db.from('data_keys').where('id', wrappedBefore.id).firstOrFail()
    assert.notDeepEqual(wrappedAfter.wrapped, wrappedBefore.wrapped)
    assert.deepEqual(await db.from('keys_test_notes').where('id', note.id).firstOrFail(), rowBefore)
    assert.deepEqual(
      await db
        .from('subject_keys')
        .where('id', subjectBefore.id)
        .firstOrFail()
        .then((value) => value.wrapped),
      subjectBefore.wrapped
    )
    keyring.reset()
    assert.equal(
      await SealedNote.findOrFail(note.id).then((value) => value.customerName),
      'Customer 0'
    )
  })
})
