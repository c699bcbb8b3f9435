import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import '#tests/helpers/acting_as'
import { merchantUser, staffUser, createMerchant } from '#tests/helpers/actors'
import { FakeKms, FAKE_KMS_CREDENTIALS, FAKE_KMS_REGION } from '#tests/helpers/fake_kms'
import { readPdf } from '#tests/helpers/pdf'
import {
  SealedNote,
  ensureSealedNotesTable,
  dropSealedNotesTable,
} from '#tests/helpers/sealed_notes'
import { AwsKms } from '#keys/kms/aws_kms'
import { kms, useKms } from '#keys/kms/main'
import keyring, { dataKeyContext } from '#keys/services/keyring'
import { forgetKmsHealth } from '#keys/kms/health'
import reportService from '#reports/services/report_service'

async function merchantWithData() {
  const merchant = await createMerchant()
  await SealedNote.create({
    merchantId: merchant.id,
    customerId: 7,
    body: 'note',
    customerName: 'Mona',
    phone: null,
  })
  return merchant
}

test.group('Key inventory console', (group) => {
  group.setup(() => ensureSealedNotesTable())
  group.teardown(async () => {
    await dropSealedNotesTable()
  })

  test('the DPO sees each merchant’s keys, versions and subject keys but never key material', async ({
    client,
    assert,
  }) => {
    const merchant = await merchantWithData()
    const dpo = await staffUser('dpo')
    const kmsKey = await db.from('kms_keys').where('merchant_id', merchant.id).firstOrFail()
    const dataKey = await db.from('data_keys').where('kms_key_id', kmsKey.id).firstOrFail()
    const plaintext = await kms().decrypt(
      kmsKey.key_id,
      dataKey.wrapped,
      dataKeyContext(kmsKey.scope, 1)
    )

    const response = await client.get(`/keys?q=${merchant.slug}`).actingAs(dpo)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, merchant.slug)
    assert.include(html, kmsKey.key_alias)
    assert.match(html, /v1\s*<span class="badge ok">Active<\/span>/)
    assert.include(html, '1 active')
    assert.include(html, 'Rotate data key')
    assert.include(html, 'name="kind" value="key-management"')
    for (const secret of [
      plaintext.toString('base64'),
      plaintext.toString('hex'),
      dataKey.wrapped.toString('base64'),
    ]) {
      assert.notInclude(html, secret)
    }
  })

  test('auditors can read the inventory but not rotate; merchant users cannot see it', async ({
    client,
    assert,
  }) => {
    const merchant = await merchantWithData()
    const auditor = await staffUser('auditor')
    const page = await client.get('/keys').actingAs(auditor)
    page.assertStatus(200)
    assert.notInclude(page.text(), 'Rotate data key')
    const rotate = await client
      .post('/keys/rotations')
      .actingAs(auditor)
      .withCsrfToken()
      .form({ scope: `merchant:${merchant.id}` })
      .redirects(0)
    rotate.assertStatus(403)
    const versions = await db.from('data_keys').where('scope', `merchant:${merchant.id}`)
    assert.lengthOf(versions, 1)

    const owner = await merchantUser(merchant, 'merchant_admin')
    const denied = await client.get('/keys').actingAs(owner)
    denied.assertStatus(403)
  })

  test('the rotate button starts a rotation whose progress can be polled', async ({
    client,
    assert,
  }) => {
    const merchant = await merchantWithData()
    const dpo = await staffUser('dpo')
    const response = await client
      .post('/keys/rotations')
      .actingAs(dpo)
      .withCsrfToken()
      .form({ scope: `merchant:${merchant.id}` })
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/keys')
    const rotation = await db.from('key_rotations').where('merchant_id', merchant.id).firstOrFail()
    assert.equal(rotation.to_version, 2)
    const active = await db
      .from('data_keys')
      .where('scope', `merchant:${merchant.id}`)
      .where('state', 'active')
      .select('version')
    assert.deepEqual(
      active.map((v) => v.version),
      [2]
    )

    const progress = await client.get(`/keys/rotations/${rotation.id}`).actingAs(dpo).accept('json')
    progress.assertStatus(200)
    assert.containsSubset(progress.body(), { id: rotation.id, fromVersion: 1, toVersion: 2 })
    assert.oneOf(progress.body().status, ['queued', 'running', 'completed'])
    assert.isNumber(progress.body().percent)

    // The page words the progress for its script in the reader's language, placeholders left
    const arabic = await client
      .get('/keys')
      .qs({ q: merchant.slug })
      .header('accept-language', 'ar')
      .actingAs(dpo)
    arabic.assertStatus(200)
    assert.include(
      arabic.text(),
      'data-text-progress="الإصدار {from} ← {to}: {status} ({percent}٪)؛'
    )
    assert.include(arabic.text(), '&quot;queued&quot;:&quot;في الانتظار&quot;')
    assert.match(arabic.text(), /الإصدار ١ ← ٢: في الانتظار \(٠٪\)؛/)
    const audit = await db
      .from('audit_events')
      .where('action', 'keys.rotation_started')
      .where('merchant_id', merchant.id)
      .firstOrFail()
    assert.equal(audit.actor_type, 'user')
    assert.equal(audit.actor_id, String(dpo.id))
  })

  test('a malformed scope is refused with a validation error', async ({ client }) => {
    const dpo = await staffUser('dpo')
    const response = await client
      .post('/keys/rotations')
      .actingAs(dpo)
      .withCsrfToken()
      .accept('json')
      .form({ scope: 'merchant:abc' })
    response.assertStatus(422)
    response.assertBodyContains({ error: { code: 'validation_failed' } })
  })

  test('with the KMS unreachable the rotate button answers 503 and creates no version', async ({
    client,
    assert,
  }) => {
    const merchant = await merchantWithData()
    const dpo = await staffUser('dpo')
    const fake = await new FakeKms().start()
    try {
      useKms(
        new AwsKms({
          region: FAKE_KMS_REGION,
          endpoint: fake.endpoint,
          credentials: FAKE_KMS_CREDENTIALS,
          timeoutMs: 500,
          maxAttempts: 1,
        })
      )
      keyring.reset()
      await db.from('kms_keys').where('merchant_id', merchant.id).update({ provider: 'aws' })
      fake.goDown()
      const response = await client
        .post('/keys/rotations')
        .actingAs(dpo)
        .withCsrfToken()
        .form({ scope: `merchant:${merchant.id}` })
        .redirects(0)
      response.assertStatus(503)
      assert.include(response.text(), 'unavailable')
      assert.lengthOf(await db.from('data_keys').where('scope', `merchant:${merchant.id}`), 1)
      assert.isNull(await db.from('key_rotations').where('merchant_id', merchant.id).first())
    } finally {
      useKms(undefined)
      keyring.reset()
      await fake.stop()
    }
  })

  test('the health details include the KMS', async ({ client, assert }) => {
    forgetKmsHealth()
    const response = await client
      .get('/health/details')
      .actingAs(await staffUser('admin'))
      .accept('json')
    response.assertStatus(200)
    assert.containsSubset(response.body().services.kms, { up: true, detail: { provider: 'local' } })
  })

  test('the key-management report lists scopes and versions, signed like every report', async ({
    assert,
  }) => {
    const merchant = await merchantWithData()
    const report = await reportService.generate({
      kind: 'key-management',
      merchant,
      generatedBy: 'test',
    })
    const pdf = await readPdf(await reportService.read(report))
    assert.include(pdf.text, 'Key management')
    assert.include(pdf.compact, merchant.slug)
    assert.include(pdf.text, 'v1 active')
    assert.include(pdf.text, 'This report contains no key material')
  })
})
