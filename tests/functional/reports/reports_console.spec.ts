import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Worker } from 'bullmq'
import AuditEvent from '#audit/models/audit_event'
import { createWorker, queueNamed, runJob, type JobContext } from '#core/queue'
import type { JobName } from '#start/jobs'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import reportService from '#reports/services/report_service'
import { readPdf } from '#tests/helpers/pdf'

test.group('Reports console', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('auditors list reports filtered by kind and merchant, paged', async ({ client, assert }) => {
    const merchant = await createMerchant()
    const scoped = await reportService.generate({
      kind: 'access-review',
      merchant,
      generatedBy: 'List Test',
    })
    const overall = await reportService.generate({
      kind: 'access-review',
      generatedBy: 'List Test',
    })
    const auditor = await staffUser('auditor')

    const all = await client.get('/reports').qs({ kind: 'access-review' }).actingAs(auditor)
    all.assertStatus(200)
    assert.include(all.text(), scoped.documentId)
    assert.include(all.text(), overall.documentId)

    const mine = await client.get('/reports').qs({ merchant: merchant.slug }).actingAs(auditor)
    assert.include(mine.text(), scoped.documentId)
    assert.notInclude(mine.text(), overall.documentId)

    const first = await client.get('/reports').qs({ perPage: 1 }).actingAs(auditor)
    const second = await client.get('/reports').qs({ perPage: 1, page: 2 }).actingAs(auditor)
    assert.include(first.text(), overall.documentId)
    assert.notInclude(first.text(), scoped.documentId)
    assert.include(second.text(), scoped.documentId)
    assert.include(first.text(), 'Page 1 of')

    // Kinds read by name in the page's language, on the form, the filter and the rows
    const arabic = await client
      .get('/reports')
      .qs({ kind: 'access-review' })
      .actingAs(auditor)
      .header('accept-language', 'ar')
    const text = arabic.text()
    assert.include(text, 'مراجعة ضوابط الوصول')
    assert.include(text, 'المستخدمون والأدوار وحالة التحقق متعدد العوامل')
    assert.notInclude(text, '<span class="muted">access-review</span>')
    assert.include(all.text(), '<span class="muted">Access-control review</span>')
  })

  test('the access review is downloadable by auditors and the DPO, and the download is audited', async ({
    client,
    assert,
  }) => {
    const report = await reportService.generate({ kind: 'access-review', generatedBy: 'DL Test' })
    for (const role of ['auditor', 'dpo'] as const) {
      const user = await staffUser(role)
      const response = await client.get(`/reports/${report.documentId}/download`).actingAs(user)
      response.assertStatus(200)
      response.assertHeader('content-type', 'application/pdf')
      const bytes: Buffer = response.body()
      const pdf = await readPdf(bytes)
      assert.include(pdf.text, report.documentId)
      assert.equal(createHash('sha256').update(bytes).digest('hex'), report.sha256)
      const event = await AuditEvent.query()
        .where('action', 'report.downloaded')
        .where('target_id', report.documentId)
        .where('actor_id', String(user.id))
        .first()
      assert.isNotNull(event)
    }
  })

  test('other roles cannot download it: 404 without the kind permission, 403 without reports:read', async ({
    client,
  }) => {
    const report = await reportService.generate({ kind: 'access-review', generatedBy: 'DL Test' })
    const admin = await staffUser('admin')
    const analyst = await staffUser('privacy_analyst')
    const merchantAdmin = await merchantUser(await createMerchant(), 'merchant_admin')
    const url = `/reports/${report.documentId}/download`
    const asAdmin = await client.get(url).actingAs(admin)
    asAdmin.assertStatus(404)
    const asAnalyst = await client.get(url).actingAs(analyst)
    asAnalyst.assertStatus(403)
    const asMerchant = await client.get(url).actingAs(merchantAdmin)
    asMerchant.assertStatus(403)
    const anonymous = await client.get(url).accept('json')
    anonymous.assertStatus(401)
  })

  test('the generate form refuses arguments the kind does not take, next to the field', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const json = await client
      .post('/reports')
      .actingAs(dpo)
      .withCsrfToken()
      .accept('json')
      .form({ kind: 'access-review', period: '2026-H1' })
    json.assertStatus(422)
    assert.equal(json.body().error.details[0].field, 'period')

    const form = await client
      .post('/reports')
      .actingAs(dpo)
      .withCsrfToken()
      .header('referer', '/reports')
      .form({ kind: 'access-review', period: 'last year' })
      .redirects(0)
    form.assertStatus(302)
    assert.property(form.flashMessages().errors, 'period')
  })

  test('a period the kind does not take is refused next to the field, in Arabic', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const refused = await client
      .post('/reports')
      .actingAs(dpo)
      .withCsrfToken()
      .header('referer', '/reports')
      .header('accept-language', 'ar')
      .form({ kind: 'access-review', period: '2026-H1' })
      .redirects(0)
    refused.assertStatus(302)

    const page = await client
      .get('/reports')
      .actingAs(dpo)
      .header('accept-language', 'ar')
      .withSession(refused.session())
      .withFlashMessages(refused.flashMessages())
    assert.include(
      page.text(),
      '<p class="field-error" id="period-error">هذا النوع من التقارير لا يأخذ فترة.</p>'
    )
    assert.notInclude(page.text(), 'does not take a period')
  })
})

test.group('Generating from the console', (group) => {
  let worker: Worker | undefined
  group.setup(async () => {
    await queueNamed('reports').obliterate({ force: true })
    worker = createWorker('reports', (job) =>
      runJob(job.name as JobName, job.data, {
        jobId: job.id!,
        progress: async (percent) => {
          await job.updateProgress(percent)
        },
      } satisfies Partial<JobContext>)
    )
    return () => worker?.close()
  })

  test('the generate button queues a job whose progress reaches 100 and links the signed report', async ({
    client,
    assert,
  }) => {
    const auditor = await staffUser('auditor')
    const merchant = await createMerchant()
    const queued = await client
      .post('/reports')
      .actingAs(auditor)
      .withCsrfToken()
      .form({ kind: 'access-review', merchant: merchant.slug })
      .redirects(0)
    queued.assertStatus(302)
    const location = queued.header('location')!
    const jobId = new URL(location, 'http://x').searchParams.get('job')
    assert.isString(jobId)

    const page = await client.get(location).actingAs(auditor)
    assert.include(page.text(), `/reports/jobs/${jobId}`)

    let status: Record<string, any> = {}
    for (let attempt = 0; attempt < 100 && status.state !== 'completed'; attempt++) {
      const response = await client.get(`/reports/jobs/${jobId}`).actingAs(auditor).accept('json')
      response.assertStatus(200)
      status = response.body()
      assert.notEqual(status.state, 'failed', status.error)
      if (status.state !== 'completed') await sleep(100)
    }
    assert.equal(status.state, 'completed')
    assert.equal(status.progress, 100)
    assert.equal(status.title, 'Access-control review')
    const arabic = await client
      .get(`/reports/jobs/${jobId}`)
      .actingAs(auditor)
      .accept('json')
      .header('accept-language', 'ar')
    assert.equal(arabic.body().title, 'مراجعة ضوابط الوصول')

    const download = await client.get(status.downloadUrl).actingAs(auditor)
    download.assertStatus(200)
    const pdf = await readPdf(download.body())
    assert.include(pdf.text, `Generated by user #${auditor.id}`)
    assert.notInclude(pdf.text, `Generated by ${auditor.fullName}`)
    assert.include(pdf.text, merchant.slug)

    // Only the requester may follow the job
    const other = await staffUser('auditor')
    const foreign = await client.get(`/reports/jobs/${jobId}`).actingAs(other).accept('json')
    foreign.assertStatus(404)
  })
})
