import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { readFile, rm, writeFile, mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose'
import env from '#start/env'
import { canonicalJson } from '#core/canonical_json'
import AuditEvent from '#audit/models/audit_event'
import { bearerToken, createMerchant, staffUser } from '#tests/helpers/actors'
import reportService from '#reports/services/report_service'
import { renderReport } from '#reports/services/pdf_layout'
import { paragraph } from '#reports/content'
import reportSigner, { ReportSigner } from '#reports/services/report_signer'
import auditTrail from '#audit/services/audit_trail'
import auditCheckpoints from '#audit/services/audit_checkpoints'
import { runAce } from '#tests/helpers/audit_tampering'
import { isolatedCheckpoints } from '#tests/helpers/checkpoints'

/** Flips one byte in the middle of the file: the PDF still opens, but it is no longer the signed one. */
function tamper(bytes: Buffer) {
  const copy = Buffer.from(bytes)
  const at = Math.floor(copy.length / 2)
  copy[at] = copy[at] ^ 0x01
  return copy
}

async function freshReport() {
  const report = await reportService.generate({
    kind: 'access-review',
    generatedBy: 'Verifier Test',
  })
  return { report, bytes: await reportService.read(report) }
}

test.group('Report verification (service)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('an untouched report is valid and says what it is', async ({ assert }) => {
    const { report, bytes } = await freshReport()
    const verdict = await reportService.verify(bytes)
    assert.isTrue(verdict.valid)
    assert.equal(verdict.code, 'valid')
    assert.equal(verdict.report?.documentId, report.documentId)
    assert.equal(verdict.report?.kind, 'access-review')
    assert.equal(verdict.report?.title, 'Access-control review')
    assert.equal(verdict.report?.generatedBy, 'Verifier Test')
    const event = await AuditEvent.query()
      .where('action', 'report.verified')
      .where('target_id', report.documentId)
      .firstOrFail()
    assert.equal(event.outcome, 'success')
  })

  test('changing one byte makes verification fail and names the altered document', async ({
    assert,
  }) => {
    const { report, bytes } = await freshReport()
    const verdict = await reportService.verify(tamper(bytes))
    assert.isFalse(verdict.valid)
    assert.equal(verdict.code, 'content_altered')
    assert.equal(verdict.report?.documentId, report.documentId)
    assert.notEqual(verdict.sha256, report.sha256)
  })

  test('a PDF the hub never issued, and a file that is not a PDF, are invalid', async ({
    assert,
  }) => {
    const foreign = await renderReport(
      {
        documentId: '00000000-0000-4000-8000-000000000000',
        kind: 'access-review',
        title: 'Forged review',
        organisation: 'Someone else',
        generatedAt: new Date(),
        generatedBy: 'Forger',
      },
      { blocks: [paragraph('Looks real.')] }
    )
    const verdict = await reportService.verify(foreign)
    assert.isFalse(verdict.valid)
    assert.equal(verdict.code, 'unknown_document')
    assert.isNull(verdict.report)
    const notPdf = await reportService.verify(Buffer.from('hello'))
    assert.equal(notPdf.code, 'not_a_pdf')
  })

  test('a manifest changed in the database no longer carries a valid signature', async ({
    assert,
  }) => {
    const { report, bytes } = await freshReport()
    await db
      .from('reports')
      .where('id', report.id)
      .update({ manifest: JSON.stringify({ ...report.manifest, generatedBy: 'Someone Else' }) })
    const verdict = await reportService.verify(bytes)
    assert.isFalse(verdict.valid)
    assert.equal(verdict.code, 'signature_invalid')
  })

  test('the signing key is kept with mode 0600 and never published with its private part', async ({
    assert,
    client,
  }) => {
    const { stat } = await import('node:fs/promises')
    const stats = await stat(reportSigner.keyPath())
    assert.equal(stats.mode & 0o777, 0o600)

    const response = await client.get('/reports/signing-key')
    response.assertStatus(200)
    const jwk = response.body()
    assert.equal(jwk.kty, 'EC')
    assert.equal(jwk.crv, 'P-256')
    assert.notProperty(jwk, 'd')
    const onDisk = JSON.parse(await readFile(reportSigner.keyPath(), 'utf8'))
    assert.equal(onDisk.x, jwk.x)
  })
})

test.group('Report verification (HTTP)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('upload answers valid with what the report is, as JSON', async ({ client, assert }) => {
    const { report, bytes } = await freshReport()
    const user = await staffUser('auditor')
    const response = await client
      .post('/reports/verify')
      .actingAs(user)
      .withCsrfToken()
      .accept('json')
      .file('report', bytes, { filename: 'review.pdf', contentType: 'application/pdf' })
    response.assertStatus(200)
    assert.isTrue(response.body().valid)
    assert.equal(response.body().report.documentId, report.documentId)
    assert.equal(response.body().report.kind, 'access-review')
  })

  test('upload of a one-byte-altered copy answers invalid, as an HTML page', async ({
    client,
    assert,
  }) => {
    const { report, bytes } = await freshReport()
    const user = await staffUser('auditor')
    const response = await client
      .post('/reports/verify')
      .actingAs(user)
      .withCsrfToken()
      .file('report', tamper(bytes), { filename: 'review.pdf', contentType: 'application/pdf' })
    response.assertStatus(200)
    assert.include(response.text(), 'Invalid')
    assert.include(response.text(), 'Altered')
    assert.include(response.text(), report.documentId)
  })

  test('the API route verifies too and a missing file is a 422 naming the field', async ({
    client,
    assert,
  }) => {
    const { report, bytes } = await freshReport()
    const token = await bearerToken(await createMerchant(), { scopes: ['reports:verify'] })
    const verified = await client
      .post('/api/v1/reports/verify')
      .bearerToken(token)
      .file('report', bytes, { filename: 'review.pdf', contentType: 'application/pdf' })
    verified.assertStatus(200)
    assert.isTrue(verified.body().valid)
    // A platform access review is not the merchant's to see: the verdict, not the details
    assert.isNull(verified.body().report)
    assert.notInclude(verified.text(), report.documentId)

    const missing = await client.post('/api/v1/reports/verify').bearerToken(token)
    missing.assertStatus(422)
    assert.equal(missing.body().error.details[0].field, 'report')
  })

  test('details are shown only to those who may see the report, in their own merchant', async ({
    client,
    assert,
  }) => {
    const own = await createMerchant()
    const other = await createMerchant()
    const report = await reportService.generate({
      kind: 'ropa',
      merchant: own,
      generatedBy: 'Verifier Test',
    })
    const bytes = await reportService.read(report)
    const verifyAs = async (token: string) =>
      client
        .post('/api/v1/reports/verify')
        .bearerToken(token)
        .file('report', bytes, { filename: 'ropa.pdf', contentType: 'application/pdf' })
    const scopes = ['reports:verify', 'ropa:read']

    const mine = await verifyAs(await bearerToken(own, { scopes }))
    assert.isTrue(mine.body().valid)
    assert.equal(mine.body().report.merchant.slug, own.slug)

    const theirs = await verifyAs(await bearerToken(other, { scopes }))
    assert.isTrue(theirs.body().valid)
    assert.isNull(theirs.body().report)
    assert.notInclude(theirs.text(), own.slug)

    // Staff without the kind's permission get the verdict only, on the page too
    const review = await freshReport()
    const page = await client
      .post('/reports/verify')
      .actingAs(await staffUser('privacy_analyst'))
      .withCsrfToken()
      .file('report', review.bytes, { filename: 'review.pdf', contentType: 'application/pdf' })
    page.assertStatus(200)
    assert.include(page.text(), 'Valid')
    assert.notInclude(page.text(), review.report.documentId)
  })

  test('a file that is not a PDF is sent back to the form with the error next to the field', async ({
    client,
    assert,
  }) => {
    const user = await staffUser('privacy_analyst')
    const response = await client
      .post('/reports/verify')
      .actingAs(user)
      .withCsrfToken()
      .header('referer', '/reports/verify')
      .file('report', Buffer.from('not a pdf'), {
        filename: 'notes.txt',
        contentType: 'text/plain',
      })
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/reports/verify')
    assert.property(response.flashMessages().errors, 'report')
  })

  test('signed manifests can be checked offline with the public key', async ({
    client,
    assert,
  }) => {
    const { report, bytes } = await freshReport()
    const auditor = await staffUser('auditor')
    const keyResponse = await client.get('/reports/signing-key')
    const jwk = keyResponse.body()
    const response = await client.get(`/reports/${report.documentId}/manifest`).actingAs(auditor)
    response.assertStatus(200)
    const { manifest, jws } = response.body()
    const [header, , signature] = jws.split('.')
    const payload = Buffer.from(canonicalJson(manifest)).toString('base64url')
    const key = await importJWK(jwk, 'ES256')
    await compactVerify(`${header}.${payload}.${signature}`, key)
    const { createHash } = await import('node:crypto')
    assert.equal(manifest.sha256, createHash('sha256').update(bytes).digest('hex'))
  })
})

test.group('reports:generate and reports:verify commands', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  const dir = join(app.makePath('tmp'), 'reports-cli-test')
  group.setup(async () => {
    await mkdir(dir, { recursive: true })
    return () => rm(dir, { recursive: true, force: true })
  })

  test('generate writes a signed PDF that verify accepts, and rejects once altered', async ({
    assert,
  }) => {
    const ace = await app.container.make('ace')
    ace.ui.switchMode('raw')
    const out = join(dir, 'review.pdf')

    const generate = await ace.exec('reports:generate', ['access-review', '--out', out])
    assert.equal(generate.exitCode, 0)
    const bytes = await readFile(out)
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-')

    const verify = await ace.exec('reports:verify', [out])
    assert.equal(verify.exitCode, 0)
    const logs = verify.ui.logger
      .getLogs()
      .map((log) => log.message)
      .join('\n')
    assert.include(logs, 'VALID')
    assert.include(logs, 'access-review')

    await writeFile(out, tamper(bytes))
    const rejected = await ace.exec('reports:verify', [out])
    assert.equal(rejected.exitCode, 1)
    assert.include(
      rejected.ui.logger
        .getLogs()
        .map((log) => log.message)
        .join('\n'),
      'INVALID (content_altered)'
    )
  })

  test('generate refuses a bad period or an unknown merchant with exit code 1', async ({
    assert,
  }) => {
    const ace = await app.container.make('ace')
    ace.ui.switchMode('raw')
    const out = join(dir, 'nope.pdf')
    const badPeriod = await ace.exec('reports:generate', [
      'access-review',
      '--period',
      '2026',
      '--out',
      out,
    ])
    assert.equal(badPeriod.exitCode, 1)
    const unknown = await ace.exec('reports:generate', [
      'access-review',
      '--merchant',
      'no-such-shop',
      '--out',
      out,
    ])
    assert.equal(unknown.exitCode, 1)
    await assert.rejects(() => readFile(out))
  })
})

test.group('Report signing key rotation', (group) => {
  group.each.setup(isolatedCheckpoints)
  // A scratch key: the suite's own key is not rotated under other tests
  group.each.setup(async () => {
    const original = env.get('REPORT_SIGNING_KEY_PATH') ?? ''
    const dir = await mkdtemp(join(tmpdir(), 'hub-signing-'))
    env.set('REPORT_SIGNING_KEY_PATH', join(dir, 'report-signing.jwk'))
    return async () => {
      env.set('REPORT_SIGNING_KEY_PATH', original)
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('what the old key signed still verifies after a rotation; new signatures name the new key', async ({
    assert,
    client,
  }) => {
    const { bytes } = await freshReport()
    const receipt = await reportSigner.signCompact({ reference: 'DSR-1' }, 'dsr-receipt+jws')
    await auditTrail.record({ action: 'test.before_rotation' })
    await auditCheckpoints.take()
    const before = await reportSigner.publicJwk()

    const run = await runAce('reports:rotate-signing-key')
    assert.equal(run.exitCode, 0)
    const after = await reportSigner.publicJwk()
    assert.notEqual(after.kid, before.kid)
    assert.include(run.output, after.kid!)

    const earlier = await reportService.verify(bytes)
    assert.isTrue(earlier.valid, 'a report signed before')
    assert.deepEqual(await reportSigner.verifyCompact(receipt, 'dsr-receipt+jws'), {
      reference: 'DSR-1',
    })
    const [checkpoint] = await auditCheckpoints.newest()
    assert.isTrue(checkpoint.signatureValid, 'a checkpoint signed before')
    const { report: later } = await freshReport()
    assert.equal(decodeProtectedHeader(later.jws).kid, after.kid)

    const jwks = await client.get('/reports/signing-keys')
    jwks.assertStatus(200)
    const keys = jwks.body().keys as Array<Record<string, unknown>>
    assert.deepEqual(
      keys.map((key) => key.kid),
      [after.kid, before.kid]
    )
    assert.isTrue(keys.every((key) => !('d' in key)))
    assert.exists(await AuditEvent.findBy('action', 'reports.signing_key_rotated'))
  })

  test('a signature under an unknown key is refused, and another process rotating is seen at once', async ({
    assert,
  }) => {
    const manifest = { documentId: 'x', sha256: 'y' }
    const stranger = new (class extends ReportSigner {
      keyPath() {
        return join(tmpdir(), `hub-stranger-${process.pid}.jwk`)
      }
    })()
    const forged = await stranger.sign(manifest)
    await rm(stranger.keyPath(), { force: true })
    assert.isFalse(await reportSigner.verify(manifest, forged))

    const signed = await reportSigner.sign(manifest)
    // Another process (a second signer on the same file) rotates the key
    const { kid } = await new ReportSigner().rotate()
    const resigned = await reportSigner.sign(manifest)
    assert.equal(decodeProtectedHeader(resigned).kid, kid)
    assert.isTrue(await reportSigner.verify(manifest, signed))
    assert.isTrue(await reportSigner.verify(manifest, resigned))
  })
})
