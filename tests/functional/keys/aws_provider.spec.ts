import { test } from '@japa/runner'
import { createMerchant } from '#tests/helpers/actors'
import db from '@adonisjs/lucid/services/db'
import { FakeKms, FAKE_KMS_CREDENTIALS, FAKE_KMS_REGION } from '#tests/helpers/fake_kms'
import {
  SealedNote,
  ensureSealedNotesTable,
  dropSealedNotesTable,
} from '#tests/helpers/sealed_notes'
import { AwsKms } from '#keys/kms/aws_kms'
import { useKms } from '#keys/kms/main'
import { KmsError } from '#keys/kms/provider'
import keyring, { dataKeyContext } from '#keys/services/keyring'
import keyDestruction from '#keys/services/key_destruction'
import fieldCipher from '#keys/services/field_cipher'
import { KeyDestroyed, KmsUnavailable } from '#keys/errors'

function awsProvider(fake: FakeKms, credentials = FAKE_KMS_CREDENTIALS) {
  return new AwsKms({
    region: FAKE_KMS_REGION,
    endpoint: fake.endpoint,
    credentials,
    timeoutMs: 1000,
    maxAttempts: 1,
  })
}

test.group('aws provider against the loopback KMS endpoint', (group) => {
  let fake: FakeKms
  let provider: AwsKms

  group.teardown(async () => {
    await dropSealedNotesTable()
  })
  group.setup(async () => {
    await ensureSealedNotesTable()
    fake = await new FakeKms().start()
    provider = awsProvider(fake)
    return async () => {
      useKms(undefined)
      keyring.reset()
      await fake.stop()
    }
  })
  group.each.setup(() => {
    fake.comeBack()
    useKms(provider)
    keyring.reset()
  })

  test('a merchant gets its own KMS key, created with CreateKey and found by alias', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const note = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 1,
      body: 'hello',
      customerName: 'Nour',
      phone: null,
    })
    const row = await db.from('kms_keys').where('scope', `merchant:${merchant.id}`).firstOrFail()
    assert.equal(row.provider, 'aws')
    assert.match(row.key_id, /^arn:aws:kms:eu-west-1:\d+:key\//)
    assert.equal(row.key_alias, `alias/conversera-hub/merchant-${merchant.id}`)
    assert.equal(fake.aliases.get(row.key_alias), row.key_id.split(':key/')[1])
    const described = await provider.describeKey(row.key_alias)
    assert.equal(described.state, 'Enabled')
    keyring.reset()
    assert.equal(await SealedNote.findOrFail(note.id).then((value) => value.customerName), 'Nour')
  })

  test('the KMS is called on a cache miss, never per field', async ({ assert }) => {
    const merchant = await createMerchant()
    await SealedNote.create({
      merchantId: merchant.id,
      customerId: 1,
      body: 'first',
      customerName: null,
      phone: null,
    })
    keyring.reset()
    const before = fake.count('Decrypt')
    for (let i = 0; i < 40; i++) {
      await fieldCipher.seal(`note ${i}`, {
        merchantId: merchant.id,
        table: 'keys_test_notes',
        column: 'body',
      })
    }
    assert.equal(fake.count('Decrypt') - before, 1)
  })

  test('the endpoint enforces the encryption context of a wrapped data key', async ({ assert }) => {
    const merchant = await createMerchant()
    await fieldCipher.seal('x', { merchantId: merchant.id, table: 't', column: 'c' })
    const scope = `merchant:${merchant.id}`
    const kmsKey = await db.from('kms_keys').where('scope', scope).firstOrFail()
    const dataKey = await db.from('data_keys').where('kms_key_id', kmsKey.id).firstOrFail()
    const plaintext = await provider.decrypt(
      kmsKey.key_id,
      dataKey.wrapped,
      dataKeyContext(scope, 1)
    )
    assert.lengthOf(plaintext, 32)
    for (const context of [
      dataKeyContext('merchant:999999', 1),
      dataKeyContext(scope, 2),
      { scope },
    ]) {
      const error = await provider.decrypt(kmsKey.key_id, dataKey.wrapped, context).catch((e) => e)
      assert.instanceOf(error, KmsError)
      assert.equal(error.kmsCode, 'InvalidCiphertextException')
    }
  })

  test('requests are SigV4-signed: a wrong secret is refused by the endpoint', async ({
    assert,
  }) => {
    const impostor = awsProvider(fake, { ...FAKE_KMS_CREDENTIALS, secretAccessKey: 'wrong' })
    const error = await impostor.ping().catch((e) => e)
    assert.instanceOf(error, KmsError)
    assert.equal(error.kmsCode, 'InvalidSignatureException')
    assert.equal(error.failure, 'refused')
  })

  test('with the KMS down a write fails with 503 and nothing is stored; cached keys keep reads working', async ({
    assert,
  }) => {
    const warm = await createMerchant()
    const cold = await createMerchant()
    const note = await SealedNote.create({
      merchantId: warm.id,
      customerId: 1,
      body: 'cached',
      customerName: 'Hana',
      phone: null,
    })
    await SealedNote.create({
      merchantId: cold.id,
      customerId: 1,
      body: 'provisioned',
      customerName: null,
      phone: null,
    })
    keyring.cache.evictPrefix(`dk:merchant:${cold.id}\x1f`)
    await SealedNote.findOrFail(note.id)

    fake.goDown()
    const error = await SealedNote.create({
      merchantId: cold.id,
      customerId: 2,
      body: 'must not be stored',
      customerName: null,
      phone: null,
    }).catch((e) => e)
    assert.instanceOf(error, KmsUnavailable)
    assert.equal(error.status, 503)
    assert.equal(error.code, 'kms_unavailable')
    const stored = await db
      .from('keys_test_notes')
      .where('merchant_id', cold.id)
      .count('* as total')
      .first()
    assert.equal(Number(stored.total), 1)

    const newMerchant = await createMerchant()
    await assert.rejects(
      () =>
        SealedNote.create({
          merchantId: newMerchant.id,
          customerId: 1,
          body: 'x',
          customerName: null,
          phone: null,
        }),
      /key management service is unavailable/
    )
    assert.isNull(await db.from('kms_keys').where('merchant_id', newMerchant.id).first())

    // Keys already in memory keep serving reads until their TTL
    const read = await SealedNote.findOrFail(note.id)
    assert.equal(read.customerName, 'Hana')
  })

  test('termination schedules the key deletion; later reads say key destroyed, backups stay unreadable', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const note = await SealedNote.create({
      merchantId: merchant.id,
      customerId: 3,
      body: 'order history',
      customerName: 'Ziad',
      phone: '+201001234567',
    })
    const kmsKey = await db.from('kms_keys').where('merchant_id', merchant.id).firstOrFail()
    const backupCopy = (await db
      .from('data_keys')
      .where('kms_key_id', kmsKey.id)
      .firstOrFail()
      .then((value) => value.wrapped)) as Buffer

    const summary = await keyDestruction.destroyMerchantKeys(merchant.id, {
      actor: { type: 'system' },
      pendingWindowDays: 7,
    })
    assert.deepEqual(summary.dataKeyVersions, [1])
    assert.equal(summary.subjectKeysDestroyed, 1)
    const fakeKey = fake.keys.get(kmsKey.key_id.split(':key/')[1])!
    assert.equal(fakeKey.state, 'PendingDeletion')
    assert.approximately(fakeKey.deletionDate! * 1000, Date.now() + 7 * 86_400_000, 120_000)

    const error = await SealedNote.findOrFail(note.id).catch((e) => e)
    assert.instanceOf(error, KeyDestroyed)
    assert.equal(error.code, 'key_destroyed')

    // A wrapped data key restored from a backup no longer opens
    const fromBackup = await provider
      .decrypt(kmsKey.key_id, backupCopy, dataKeyContext(`merchant:${merchant.id}`, 1))
      .catch((e) => e)
    assert.equal(fromBackup.kmsCode, 'KMSInvalidStateException')
    fake.expireDeletions()
    const afterWindow = await provider
      .decrypt(kmsKey.key_id, backupCopy, dataKeyContext(`merchant:${merchant.id}`, 1))
      .catch((e) => e)
    assert.equal(afterWindow.failure, 'key_unusable')

    const audit = await db
      .from('audit_events')
      .where('action', 'keys.merchant_keys_destroyed')
      .where('merchant_id', merchant.id)
      .firstOrFail()
    assert.equal(audit.meta.pendingWindowDays, 7)
    assert.deepEqual(audit.meta.dataKeyVersions, [1])
    assert.equal(audit.meta.subjectKeysDestroyed, 1)
  })
})
