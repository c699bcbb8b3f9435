import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { dispatch, queueNamed } from '#core/queue'
import { storagePath } from '#core/storage'
import { FieldInvalid, NotFound } from '#core/errors'
import fieldCipher from '#keys/services/field_cipher'
import reportService from '#reports/services/report_service'
import { locate, locateSubject } from '#dsr/execution/locator'
import {
  consumeDownloadLink,
  createExport,
  downloadExport,
  issueDownloadLink,
} from '#dsr/execution/exports'
import { eraseSubject } from '#dsr/execution/erasure'
import { createMerchant } from '#tests/helpers/actors'
import { SCRATCH_TABLE, ScratchOrder, createScratchOrders } from '#tests/helpers/dsr_scratch'

const OWN_PHONE = '+201001112233'
const FRIEND_PHONE = '+201009998877'

test.group('DSR execution / a table mapped only in the inventory', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  async function seed() {
    const unmap = await createScratchOrders()
    const merchant = await createMerchant()
    const other = await createMerchant()
    const subject = await ScratchOrder.create({
      merchantId: merchant.id,
      customerId: 7001,
      phone: OWN_PHONE,
      note: `Please deliver to my friend, call ${FRIEND_PHONE} or me at ${OWN_PHONE}`,
    })
    await ScratchOrder.create({ merchantId: merchant.id, customerId: 7001, note: 'second order' })
    const bystander = await ScratchOrder.create({
      merchantId: merchant.id,
      customerId: 7002,
      phone: FRIEND_PHONE,
      note: 'someone else',
    })
    // The same phone at another merchant is another controller's customer
    await ScratchOrder.create({
      merchantId: other.id,
      customerId: 9001,
      phone: OWN_PHONE,
      note: 'other merchant',
    })
    return { unmap, merchant, other, subject, bystander }
  }

  test('the locator finds every row of the subject through the mapped blind index', async ({
    assert,
  }) => {
    const { unmap, merchant } = await seed()
    try {
      const found = await locateSubject(merchant.id, { phone: '+20 100 111 2233' })
      assert.deepEqual(found.customers, [7001])
      const scratch = found.tables.find((t) => t.table === SCRATCH_TABLE)
      assert.equal(scratch?.rows, 2)
      assert.equal(scratch?.module, 'scratch_dsr')
      assert.equal(found.total, 2)

      // Unknown identifiers are a valid "nothing", malformed ones a field error
      const nobody = await locateSubject(merchant.id, { email: 'nobody@example.test' })
      assert.equal(nobody.total, 0)
      assert.deepEqual(nobody.customers, [])
      await assert.rejects(() => locateSubject(merchant.id, { phone: '12' }), FieldInvalid as any)
    } finally {
      unmap()
    }
  })

  test('unmapped, the same table is invisible: coverage comes from the inventory alone', async ({
    assert,
  }) => {
    const { unmap, merchant } = await seed()
    unmap()
    const found = await locateSubject(merchant.id, { phone: OWN_PHONE })
    assert.isUndefined(found.tables.find((t) => t.table === SCRATCH_TABLE))
  })

  test('another merchant never sees this merchant’s customer', async ({ assert }) => {
    const { unmap, other } = await seed()
    try {
      const found = await locateSubject(other.id, { phone: OWN_PHONE })
      assert.deepEqual(found.customers, [9001])
      assert.equal(found.total, 1)
    } finally {
      unmap()
    }
  })

  test('the package is sealed at rest, holds the rows and redacts other people’s numbers', async ({
    assert,
  }) => {
    const { unmap, merchant } = await seed()
    try {
      const located = await locate(merchant.id, { phone: OWN_PHONE })
      const exported = await createExport(merchant, located, {
        format: 'json',
        actor: { type: 'system' },
      })
      assert.equal(exported.records, 2)
      const stored = await readFile(storagePath(exported.filePath), 'utf8')
      assert.match(stored, /^e1\.m\d+\./)
      assert.notInclude(stored, OWN_PHONE)

      const bytes = await downloadExport(exported, { type: 'system' })
      const document = JSON.parse(bytes.toString('utf8'))
      const rows = document.tables[SCRATCH_TABLE]
      assert.lengthOf(rows, 2)
      assert.equal(rows[0].phone, OWN_PHONE)
      assert.notProperty(rows[0], 'phone_bidx')
      assert.include(rows[0].note, '[PHONE]')
      assert.notInclude(rows[0].note, FRIEND_PHONE)
      const downloads = await db
        .from('audit_events')
        .where('action', 'dsr.export_downloaded')
        .where('target_id', String(exported.id))
      assert.lengthOf(downloads, 1)
    } finally {
      unmap()
    }
  })

  test('erasure deletes the rows, shreds the key and leaves everyone else alone', async ({
    assert,
  }) => {
    const { unmap, merchant, subject, bystander } = await seed()
    const job = await dispatch(
      'vendors.flag_due_tias',
      { customerId: 7001 },
      { delay: 3_600_000, jobId: `dsr-scratch-${Date.now()}` }
    )
    try {
      const located = await locate(merchant.id, { phone: OWN_PHONE })
      assert.include(
        located.jobs.map((j) => j.id),
        job.id!
      )
      const before = await db.from(SCRATCH_TABLE).where('id', subject.id).select('note').first()
      const sealedNote = before.note as string

      const erasure = await eraseSubject(merchant.id, located, {
        actor: { type: 'system' },
        caseReference: 'DSR-SCRATCH-1',
      })
      assert.equal(erasure.outcome, 'erased')
      assert.deepInclude(erasure.counts, {
        system: 'postgres',
        place: SCRATCH_TABLE,
        rows: 2,
        action: 'deleted',
      })
      assert.deepInclude(erasure.counts, {
        system: 'bullmq',
        place: 'queued and failed jobs',
        rows: 1,
        action: 'deleted',
      })
      assert.lengthOf(await db.from(SCRATCH_TABLE).where('customer_id', 7001), 0)
      assert.notExists(await queueNamed('default').getJob(job.id!))
      // A copy of the sealed value (a backup) no longer opens
      await assert.rejects(() =>
        fieldCipher.open(sealedNote, {
          merchantId: merchant.id,
          subject: 'customer:7001',
          table: SCRATCH_TABLE,
          column: 'note',
          row: String(subject.id),
        })
      )
      // The bystander is untouched and still readable
      const kept = await ScratchOrder.findOrFail(bystander.id)
      assert.equal(kept.note, 'someone else')
      // A new access request finds nothing
      const again = await locateSubject(merchant.id, { phone: OWN_PHONE })
      assert.equal(again.total, 0)

      // The deletion certificate is a signed report that verifies
      const certificate = await reportService.generate({
        kind: 'deletion-certificate',
        merchant,
        record: String(erasure.id),
        generatedBy: 'system (test)',
        actor: { type: 'system' },
      })
      const verdict = await reportService.verify(await reportService.read(certificate))
      assert.isTrue(verdict.valid)
    } finally {
      unmap()
      await job.remove().catch(() => {})
    }
  })

  test('a portal download link works once, for its own merchant, until it expires', async ({
    assert,
  }) => {
    const { unmap, merchant, other } = await seed()
    try {
      const located = await locate(merchant.id, { phone: OWN_PHONE })
      const exported = await createExport(merchant, located, {
        format: 'csv',
        actor: { type: 'system' },
      })
      const link = await issueDownloadLink(exported)
      await assert.rejects(() => consumeDownloadLink(link.token, other.id), NotFound as any)
      const first = await consumeDownloadLink(link.token, merchant.id)
      assert.include(first.bytes.toString('utf8'), `${SCRATCH_TABLE},`)
      await assert.rejects(() => consumeDownloadLink(link.token, merchant.id), NotFound as any)
      const stored = await db.from('dsr_download_links').where('id', link.linkId).first()
      assert.notEqual(stored.token_hash, link.token)

      const expired = await issueDownloadLink(exported, { ttlMinutes: -1 })
      await assert.rejects(() => consumeDownloadLink(expired.token, merchant.id), NotFound as any)
    } finally {
      unmap()
    }
  })
})
