import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import type { Worker } from 'bullmq'
import type { Browser, Page } from 'playwright-core'
import env from '#start/env'
import mfa from '#access/services/mfa'
import type User from '#access/models/user'
import { createWorker, queueNamed, runJob } from '#core/queue'
import type { JobName } from '#start/jobs'
import { TEST_PASSWORD, staffUser } from '#tests/helpers/actors'
import reportService from '#reports/services/report_service'
import { launchBrowser } from '#tests/helpers/browser'

const BASE = `http://${env.get('HOST')}:${env.get('PORT')}`

async function signIn(page: Page, user: User) {
  await page.goto(`${BASE}/login`)
  await page.fill('#email', user.email)
  await page.fill('#password', TEST_PASSWORD)
  await Promise.all([page.waitForURL(/\/mfa/), page.press('#password', 'Enter')])
  await page.fill('#code', mfa.currentCode(user.mfaSecret!))
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/mfa')),
    page.press('#code', 'Enter'),
  ])
}

test.group('Reports and audit console in a browser', (group) => {
  let browser: Browser
  let worker: Worker
  group.setup(async () => {
    await queueNamed('reports').obliterate({ force: true })
    worker = createWorker('reports', (job) =>
      runJob(job.name as JobName, job.data, {
        jobId: job.id!,
        progress: async (percent) => {
          await job.updateProgress(percent)
        },
      })
    )
    browser = await launchBrowser()
    return async () => {
      await browser.close()
      await worker.close()
    }
  })

  test('an auditor generates a report, follows its progress, downloads it, verifies it and the audit chain', async ({
    assert,
  }) => {
    const auditor = await staffUser('auditor')
    const context = await browser.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    const problems: string[] = []
    // CSP violations and script errors surface as console errors; a missing asset as a 4xx
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(message.text())
      }
    })
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname
      if (response.status() >= 400 && path !== '/favicon.ico')
        problems.push(`${response.status()} ${path}`)
    })
    page.on('pageerror', (error) => problems.push(error.message))

    await signIn(page, auditor)
    // Every page marks its list as parsed; a list refreshed by the script comes without the mark
    await page.addInitScript(() => {
      const doc = (globalThis as any).document
      doc.addEventListener('DOMContentLoaded', () => {
        const list = doc.getElementById('report-list')
        if (list) list.dataset.rendered = 'with-page'
      })
    })
    await page.goto(`${BASE}/reports`)
    await page.selectOption('#kind', 'access-review')
    await Promise.all([
      page.waitForURL(/\/reports\?job=/),
      page.click('button:has-text("Generate")'),
    ])

    const download = page.locator('[data-job-download]')
    await download.waitFor({ state: 'visible', timeout: 30_000 })
    assert.equal(await page.getAttribute('.progress', 'aria-valuenow'), '100')
    // Finished: the panel says so in its title and the list shows the new report, no reload
    assert.equal(await page.locator('#job-title').innerText(), 'Ready: Access-control review')
    const documentId = /\/reports\/([^/]+)\/download/.exec(
      (await download.getAttribute('href'))!
    )![1]
    await page.locator(`#report-list tr[data-document-id="${documentId}"]`).waitFor()
    assert.equal(await page.locator('#report-list[data-rendered]').count(), 0, 'list refreshed')
    await page.screenshot({
      path: join(app.makePath('tmp'), 'reports-console.png'),
      fullPage: true,
    })
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
    const saved = join(app.makePath('tmp'), `browser-${Date.now()}.pdf`)
    await file.saveAs(saved)
    const verdict = await reportService.verify(await readFile(saved))
    assert.isTrue(verdict.valid)
    assert.equal(verdict.report?.generatedBy, `user #${auditor.id}`)

    await page.goto(`${BASE}/reports/verify`)
    await page.setInputFiles('#report', saved)
    await Promise.all([
      page.waitForURL(/\/reports\/verify/),
      page.click('button:has-text("Verify")'),
    ])
    assert.include(await page.textContent('.verdict'), 'Valid')
    assert.include(await page.textContent('.verdict'), verdict.report!.documentId)

    await page.goto(`${BASE}/audit`)
    await Promise.all([
      page.waitForURL(/\/audit$/),
      page.click('button:has-text("Verify the chain")'),
    ])
    assert.include(await page.textContent('.verdict'), 'Chain intact')
    await page.screenshot({ path: join(app.makePath('tmp'), 'audit-console.png'), fullPage: true })

    assert.deepEqual(problems, [])
    await context.close()
  })
})
