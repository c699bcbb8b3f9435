import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import { createMerchant, merchantUser, staffUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'
import DsrCase from '#dsr/models/dsr_case'
import { today } from '#dsr/services/deadlines'

test.group('DSR cases in a browser', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('a merchant admin submits a request in the portal; the DPO opens and works the case', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const page = await newPage(browser)
    await signInWithMfa(page, admin.email, TEST_PASSWORD, admin.mfaSecret!)

    await page.goto('/portal/dsr/new')
    // Submitted empty: refused, with the errors next to the fields
    await page.getByRole('button', { name: 'Submit the request' }).click()
    await page.locator('#type-error').waitFor()
    assert.equal(await page.getByLabel('Request type').getAttribute('aria-invalid'), 'true')

    await page.getByLabel('Request type').selectOption('erasure')
    await page.getByLabel('Phone number', { exact: true }).fill('+20 100 222 3344')
    await page.getByLabel('Date the request was received').fill(today('EG').toISODate()!)
    await page.getByLabel("I verified the person's identity").check()
    await Promise.all([
      page.waitForURL(/\/portal\/dsr\/\d+$/),
      page.getByRole('button', { name: 'Submit the request' }).click(),
    ])
    const status = await page.getByRole('status').first().innerText()
    assert.match(status, /Request DSR-\d{4}-[0-9A-Z]{8} is recorded/)
    const dsrCase = await DsrCase.query().where('merchant_id', merchant.id).firstOrFail()
    assert.equal(dsrCase.subjectPhone, '+201002223344')
    assert.include(await page.locator('h1').innerText(), dsrCase.reference)
    await page.close()

    const dpo = await staffUser('dpo')
    const staffPage = await newPage(browser)
    await signInWithMfa(staffPage, dpo.email, TEST_PASSWORD, dpo.mfaSecret!)
    await staffPage.goto(`/dsr/cases?merchantId=${merchant.id}&status=any`)
    await Promise.all([
      staffPage.waitForURL(`**/dsr/cases/${dsrCase.id}`),
      staffPage.getByRole('link', { name: dsrCase.reference }).click(),
    ])
    assert.include(await staffPage.locator('h1').innerText(), dsrCase.reference)
    assert.include(await staffPage.locator('.dsr-timeline').innerText(), 'Received')

    await staffPage
      .getByLabel('Comment', { exact: true })
      .fill('Checked with the merchant by phone.')
    await Promise.all([
      staffPage.waitForURL(`**/dsr/cases/${dsrCase.id}`),
      staffPage.getByRole('button', { name: 'Add comment' }).click(),
    ])
    assert.include(
      await staffPage.locator('body').innerText(),
      'Checked with the merchant by phone.'
    )
    assert.include(await staffPage.locator('.dsr-timeline').innerText(), 'Comment added')
    await staffPage.close()
  })
})
