import { test } from '@japa/runner'
import { createMerchant } from '#tests/helpers/actors'
import db from '@adonisjs/lucid/services/db'
import {
  SealedNote,
  ensureSealedNotesTable,
  dropSealedNotesTable,
} from '#tests/helpers/sealed_notes'
import keyDestruction from '#keys/services/key_destruction'
import keyring from '#keys/services/keyring'
import fieldCipher from '#keys/services/field_cipher'
import { kms, localKmsOptions, useKms } from '#keys/kms/main'
import { LocalKms } from '#keys/kms/local_kms'
import type { EncryptionContext } from '#keys/kms/provider'
import { KeyDestroyed } from '#keys/errors'
import app from '@adonisjs/core/services/app'

test.group('Crypto-shredding (local KMS)', (group) => {
  group.setup(() => ensureSealedNotesTable())
  group.teardown(async () => {
    await dropSealedNotesTable()
  })

  test('destroying a subject key makes that person unreadable, and only that person', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const erased = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 501,
      body: 'about 501',
      customerName: 'Yara',
      phone: null,
    })
    const second = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 501,
      body: 'more',
      customerName: 'Yara again',
      phone: null,
    })
    const kept = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 502,
      body: 'about 502',
      customerName: 'Karim',
      phone: null,
    })

    const result = await keyDestruction.destroySubjectKey(merchant.id, 'customer:501', {
      actor: { type: 'system' },
      caseRef: 'DSR-1',
    })
    assert.isFalse(result.alreadyDestroyed)
    assert.deepInclude(result.covered, {
      table: 'keys_test_notes',
      column: 'customer_name',
      rows: 2,
    })

    for (const id of [erased.id, second.id]) {
      const error = await SealedNote.findOrFail(id).catch((e) => e)
      assert.instanceOf(error, KeyDestroyed)
      assert.equal(error.code, 'key_destroyed')
      assert.include(error.message, 'subject key has been destroyed')
    }
    // Also after the cache is gone (another process, a restart)
    keyring.reset()
    await assert.rejects(() => SealedNote.findOrFail(erased.id), /destroyed/)
    assert.equal(await SealedNote.findOrFail(kept.id).then((value) => value.customerName), 'Karim')

    // A later write for the erased subject does not silently mint a new key
    const write = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 501,
      body: 'x',
      customerName: 'Yara',
      phone: null,
    }).catch((e) => e)
    assert.equal(write.code, 'key_destroyed')

    const row = await db
      .from('subject_keys')
      .where('scope', `merchant:${merchant.id}`)
      .where('subject_ref', 'customer:501')
      .firstOrFail()
    assert.isNull(row.wrapped)
    assert.isNotNull(row.destroyed_at)
    const audit = await db
      .from('audit_events')
      .where('action', 'keys.subject_key_destroyed')
      .where('merchant_id', merchant.id)
      .firstOrFail()
    assert.equal(audit.purpose, 'dsr_erasure')
    assert.equal(audit.meta.rowsCovered, 2)
    assert.equal(audit.meta.caseRef, 'DSR-1')
    assert.notInclude(JSON.stringify(audit.meta), 'Yara')

    const again = await keyDestruction.destroySubjectKey(merchant.id, 'customer:501', {
      actor: { type: 'system' },
    })
    assert.isTrue(again.alreadyDestroyed)
  })

  test('terminating a merchant with the local provider: refused at once, removed after the window', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const note = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 1,
      body: 'merchant data',
      customerName: 'Lina',
      phone: '+201001112223',
    })
    const otherNote = await SealedNote.create({
      merchantId: other.id,
      customerId: 1,
      body: 'unaffected',
      customerName: null,
      phone: null,
    })
    const kmsKey = await db.from('kms_keys').where('merchant_id', merchant.id).firstOrFail()
    const backupCopy = (await db
      .from('data_keys')
      .where('kms_key_id', kmsKey.id)
      .firstOrFail()
      .then((value) => value.wrapped)) as Buffer

    const summary = await keyDestruction.destroyMerchantKeys(merchant.id, {
      actor: { type: 'system' },
    })
    assert.equal(summary.pendingWindowDays, 7)
    assert.equal(
      await db
        .from('kms_keys')
        .where('id', kmsKey.id)
        .firstOrFail()
        .then((value) => value.state),
      'pending_deletion'
    )
    assert.equal(
      await SealedNote.findOrFail(note.id)
        .catch((e) => e)
        .then((value) => value.code),
      'key_destroyed'
    )
    await assert.rejects(
      () =>
        fieldCipher.seal('new', {
          merchantId: merchant.id,
          table: 'keys_test_notes',
          column: 'body',
        }),
      /destroyed/
    )
    await assert.rejects(
      () =>
        kms().decrypt(kmsKey.key_id, backupCopy, {
          scope: kmsKey.scope,
          purpose: 'data-key',
          version: '1',
        }),
      /PendingDeletion/
    )
    assert.equal(
      await SealedNote.findOrFail(otherNote.id).then((value) => value.body),
      'unaffected'
    )

    // Before the window ends nothing is removed; after it, the keystore no longer holds the key
    assert.equal(await keyDestruction.purgeExpired(new Date()).then((value) => value.destroyed), 0)
    const purged = await keyDestruction.purgeExpired(new Date(Date.now() + 8 * 86_400_000))
    assert.isAtLeast(purged.destroyed, 1)
    assert.isAtLeast(purged.removedFromKeystore, 1)
    const row = await db.from('kms_keys').where('id', kmsKey.id).firstOrFail()
    assert.equal(row.state, 'destroyed')
    await assert.rejects(() => kms().describeKey(kmsKey.key_id), /does not exist/)
    keyring.reset()
    assert.equal(
      await SealedNote.findOrFail(note.id)
        .catch((e) => e)
        .then((value) => value.code),
      'key_destroyed'
    )
    const audit = await db
      .from('audit_events')
      .where('action', 'keys.kms_key_deleted')
      .where('merchant_id', merchant.id)
      .first()
    assert.isNotNull(audit)
  })

  test('keys:destroy-merchant refuses an active merchant and needs --confirm', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    await SealedNote.create({
      merchantId: merchant.id,
      customerId: 1,
      body: 'kept',
      customerName: null,
      phone: null,
    })
    const ace = await app.container.make('ace')

    const whileActive = await ace.exec('keys:destroy-merchant', [
      '--merchant',
      merchant.slug,
      '--confirm',
    ])
    assert.equal(whileActive.exitCode, 1)
    merchant.status = 'terminating'
    await merchant.save()
    const unconfirmed = await ace.exec('keys:destroy-merchant', ['--merchant', merchant.slug])
    assert.equal(unconfirmed.exitCode, 1)
    const untouched = await db.from('kms_keys').where('merchant_id', merchant.id).firstOrFail()
    assert.equal(untouched.state, 'enabled')

    const done = await ace.exec('keys:destroy-merchant', [
      '--merchant',
      merchant.slug,
      '--window',
      '10',
      '--confirm',
    ])
    assert.equal(done.exitCode, 0)
    const key = await db.from('kms_keys').where('merchant_id', merchant.id).firstOrFail()
    assert.equal(key.state, 'pending_deletion')
    assert.approximately(
      new Date(key.deletion_date).getTime(),
      Date.now() + 10 * 86_400_000,
      120_000
    )
  })

  test('a subject key destroyed while another read is unwrapping it is never put back in the cache', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    await SealedNote.create({
      merchantId: merchant.id,
      customerId: 601,
      body: 'raced',
      customerName: 'Mona',
      phone: null,
    })

    // The local KMS, but every unwrap waits at a gate the test opens
    let reached!: () => void
    const atGate = new Promise<void>((resolve) => (reached = resolve))
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    class GatedKms extends LocalKms {
      async decrypt(keyId: string, wrapped: Buffer, context: EncryptionContext) {
        reached()
        await gate
        return super.decrypt(keyId, wrapped, context)
      }
    }
    useKms(new GatedKms(localKmsOptions(false)))
    keyring.reset()
    try {
      const read = keyring.subjectKey(merchant.id, 'customer:601', false)
      await atGate
      await keyDestruction.destroySubjectKey(merchant.id, 'customer:601', {
        actor: { type: 'system' },
      })
      // Another read of the merchant meanwhile brings this process up to date with the erasure
      await keyring.scope(merchant.id, false)
      open()
      await read
      await assert.rejects(
        () => keyring.subjectKey(merchant.id, 'customer:601', false),
        KeyDestroyed as any
      )
    } finally {
      open()
      useKms(undefined)
      keyring.reset()
    }
  })
})
