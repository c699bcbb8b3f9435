import { test } from '@japa/runner'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { LocalKms, parseMasterKeys } from '#keys/kms/local_kms'
import { KmsError } from '#keys/kms/provider'
import { localKmsOptions } from '#keys/kms/main'

const context = { scope: 'merchant:1', purpose: 'data-key', version: '1' }

test.group('Local KMS provider', (group) => {
  let directory: string
  group.each.setup(async () => {
    directory = await mkdtemp(join(tmpdir(), 'local-kms-'))
    return () => rm(directory, { recursive: true, force: true })
  })

  test('the master key file and keystore are created on first use with mode 0600', async ({
    assert,
  }) => {
    const provider = new LocalKms({ directory })
    await provider.createKey('alias/hub/merchant-1', 'merchant 1')
    for (const file of ['local_master.json', 'local_kms.json']) {
      assert.equal(
        (await stat(join(directory, file)).then((value) => value.mode)) & 0o777,
        0o600,
        file
      )
    }
    const keystore = await readFile(join(directory, 'local_kms.json'), 'utf8')
    const master = JSON.parse(await readFile(join(directory, 'local_master.json'), 'utf8'))
    // The keystore holds merchant keys only sealed under the master key
    assert.notInclude(keystore, master.versions[0].key)
  })

  test('production refuses the generated master key file, even one already beside the keystore', async ({
    assert,
  }) => {
    await new LocalKms({ directory }).createKey('alias/hub/merchant-1', 'made in development')
    const production = new LocalKms({ ...localKmsOptions(true), directory, masterKeys: undefined })
    const error = await production.createKey('alias/hub/merchant-2', 'm2').catch((e) => e)
    assert.instanceOf(error, KmsError)
    assert.equal(error.kmsCode, 'MasterKeyNotConfigured')
    await assert.rejects(() => production.ping(), /KMS_LOCAL_MASTER_KEYS/)
    await assert.rejects(() => production.rotateMaster(), /KMS_LOCAL_MASTER_KEYS/)

    // Development and tests keep the generated file; production works with env master keys
    assert.isTrue(localKmsOptions(false).allowGeneratedMaster)
    const fresh = await mkdtemp(join(tmpdir(), 'local-kms-env-'))
    try {
      const withEnv = new LocalKms({
        ...localKmsOptions(true),
        directory: fresh,
        masterKeys: parseMasterKeys(`1:${randomBytes(32).toString('base64')}`),
      })
      await withEnv.createKey('alias/hub/merchant-3', 'm3')
      await assert.rejects(() => stat(join(fresh, 'local_master.json')))
    } finally {
      await rm(fresh, { recursive: true, force: true })
    }
  })

  test('a data key opens only with its exact encryption context and key', async ({ assert }) => {
    const provider = new LocalKms({ directory })
    const a = await provider.createKey('alias/hub/merchant-1', 'merchant 1')
    const b = await provider.createKey('alias/hub/merchant-2', 'merchant 2')
    const { plaintext, wrapped } = await provider.generateDataKey(a.keyId, context)
    assert.deepEqual(await provider.decrypt(a.keyId, wrapped, context), plaintext)
    await assert.rejects(
      () => provider.decrypt(a.keyId, wrapped, { ...context, scope: 'merchant:2' }),
      /does not match/
    )
    await assert.rejects(() => provider.decrypt(b.keyId, wrapped, context), /another key/)
  })

  test('re-encrypt moves a wrapped key between contexts without the caller seeing it', async ({
    assert,
  }) => {
    const provider = new LocalKms({ directory })
    const key = await provider.createKey('alias/hub/merchant-1', 'merchant 1')
    const { plaintext, wrapped } = await provider.generateDataKey(key.keyId, context)
    const moved = await provider.reEncrypt(
      wrapped,
      { keyId: key.keyId, context },
      { keyId: key.keyId, context: { ...context, version: '2' } }
    )
    assert.deepEqual(
      await provider.decrypt(key.keyId, moved, { ...context, version: '2' }),
      plaintext
    )
  })

  test('master rotation re-seals the stored keys; old data key blobs still open', async ({
    assert,
  }) => {
    const provider = new LocalKms({ directory })
    const key = await provider.createKey('alias/hub/merchant-1', 'merchant 1')
    const { plaintext, wrapped } = await provider.generateDataKey(key.keyId, context)
    const result = await provider.rotateMaster()
    assert.deepEqual(result, { masterVersion: 2, rewrapped: 1 })
    const keystore = JSON.parse(await readFile(join(directory, 'local_kms.json'), 'utf8'))
    assert.equal(keystore.keys[key.keyId].masterVersion, 2)
    assert.deepEqual(await provider.decrypt(key.keyId, wrapped, context), plaintext)
  })

  test('master keys can come from the environment in several versions', async ({ assert }) => {
    const v1 = randomBytes(32).toString('base64')
    const v2 = randomBytes(32).toString('base64')
    const provider = new LocalKms({ directory, masterKeys: parseMasterKeys(`1:${v1},2:${v2}`) })
    assert.equal(provider.currentMaster().version, 2)
    await provider.createKey('alias/hub/merchant-1', 'merchant 1')
    await assert.rejects(() => stat(join(directory, 'local_master.json')))
    assert.throws(() => parseMasterKeys('1:short'), /base64 of 32 bytes/)
  })

  test('a key scheduled for deletion refuses use at once and is removed after its window', async ({
    assert,
  }) => {
    const provider = new LocalKms({ directory })
    const key = await provider.createKey('alias/hub/merchant-1', 'merchant 1')
    const { wrapped } = await provider.generateDataKey(key.keyId, context)
    const info = await provider.scheduleKeyDeletion(key.keyId, 7)
    assert.equal(info.state, 'PendingDeletion')
    assert.approximately(info.deletionDate!.getTime(), Date.now() + 7 * 86_400_000, 60_000)
    const refused = await provider.decrypt(key.keyId, wrapped, context).catch((e) => e)
    assert.instanceOf(refused, KmsError)
    assert.equal(refused.failure, 'key_unusable')

    assert.deepEqual(await provider.purgeExpired(new Date()), [])
    assert.deepEqual(await provider.purgeExpired(new Date(Date.now() + 8 * 86_400_000)), [
      key.keyId,
    ])
    const gone = await provider.decrypt(key.keyId, wrapped, context).catch((e) => e)
    assert.equal(gone.kmsCode, 'NotFoundException')
  })

  test('an alias is reused while its key is enabled, and repointed once that key is being deleted', async ({
    assert,
  }) => {
    const provider = new LocalKms({ directory })
    const first = await provider.createKey('alias/hub/merchant-1', 'merchant 1')
    const again = await provider.createKey('alias/hub/merchant-1', 'merchant 1')
    assert.equal(again.keyId, first.keyId)
    await provider.scheduleKeyDeletion(first.keyId, 7)
    const fresh = await provider.createKey('alias/hub/merchant-1', 'merchant 1')
    assert.notEqual(fresh.keyId, first.keyId)
    const byAlias = await provider.describeKey('alias/hub/merchant-1')
    assert.equal(byAlias.keyId, fresh.keyId)
    assert.equal(byAlias.state, 'Enabled')
  })
})
