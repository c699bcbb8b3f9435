import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import type { Browser, Page } from 'playwright-core'
import {
  TEST_PASSWORD,
  bearerToken,
  createMerchant,
  merchantUser,
  staffUser,
} from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'
import { startServerProcess } from '#tests/helpers/server_process'
import { ensureCategories, publishedSubprocessor } from '#tests/helpers/vendors'
import ApiToken from '#access/models/api_token'
import Subprocessor from '#vendors/models/subprocessor'

/** The session store the project ships (`.env.example`), not the tests' in-memory one. */
function shippedSessionDriver() {
  const example = readFileSync(app.makePath('.env.example'), 'utf8')
  return /^SESSION_DRIVER=(\w+)/m.exec(example)![1]
}

async function submitAndWait(page: Page, button: string) {
  await Promise.all([
    page.waitForLoadState('load'),
    page.waitForEvent('framenavigated'),
    page.getByRole('button', { name: button }).first().click(),
  ])
}

test.group('Console: nothing fails silently, nothing destructive happens unasked', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('oversized input is refused next to the field and kept, under the shipped session store', async ({
    assert,
  }) => {
    const server = await startServerProcess({
      SESSION_DRIVER: shippedSessionDriver(),
    })
    try {
      await ensureCategories(['customer.content.message'])
      const dpo = await staffUser('dpo')
      const context = await browser.newContext({ baseURL: server.url })
      const staff = await context.newPage()
      await signInWithMfa(staff, dpo.email, TEST_PASSWORD, dpo.mfaSecret!)

      // An 84,000-character purpose
      const purpose = 'Classify intents. '.repeat(4667).slice(0, 84_000)
      const name = `Oversized ${Date.now()}`
      await staff.goto('/vendors/subprocessors/new')
      await staff.getByLabel('Name', { exact: true }).fill(name)
      await staff.getByLabel('Service', { exact: true }).fill('LLM inference API')
      await staff.getByLabel('Purpose').fill(purpose)
      await staff
        .locator('input[name="dataCategories[]"][value="customer.content.message"]')
        .check()
      await staff.locator('input[name="processingCountries[]"][value="US"]').check()
      await staff.getByLabel('Transfer mechanism').selectOption('scc_module_3')
      await submitAndWait(staff, 'Save')
      assert.match(
        await staff.locator('#purpose-error').innerText(),
        /^Purpose can hold at most 2000/
      )
      const keptPurpose = await staff.getByLabel('Purpose').inputValue()
      assert.equal(keptPurpose.length, 84_000)
      assert.equal(await staff.getByLabel('Name', { exact: true }).inputValue(), name)
      assert.isNull(await Subprocessor.findBy('name', name))

      // A 22,000-character objection reason in the merchant portal
      const merchant = await createMerchant()
      const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
      const { notice } = await publishedSubprocessor()
      const portalContext = await browser.newContext({ baseURL: server.url })
      const portal = await portalContext.newPage()
      await signInWithMfa(portal, admin.email, TEST_PASSWORD, admin.mfaSecret!)
      await portal.goto('/portal/subprocessors')
      const reason = 'Customer data must stay in Egypt. '.repeat(700).slice(0, 22_000)
      await portal.locator(`#reason-${notice.id}`).fill(reason)
      await Promise.all([
        portal.waitForEvent('framenavigated'),
        portal
          .locator(`#notice-${notice.id}`)
          .getByRole('button', { name: 'Object to this change' })
          .click(),
      ])
      await portal.waitForLoadState('load')
      assert.match(await portal.locator('#reason-error').innerText(), /^Reason can hold at most/)
      const keptReason = await portal.locator(`#reason-${notice.id}`).inputValue()
      assert.equal(keptReason.length, 22_000)
      await context.close()
      await portalContext.close()
    } finally {
      await server.stop()
    }
  }).timeout(240_000)

  test('revoking a token asks first, naming what will happen', async ({ assert }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const tokenName = `ERP sync ${Date.now()}`
    await bearerToken(merchant, { scopes: ['merchant:read'], name: tokenName })
    const page = await newPage(browser)
    await signInWithMfa(page, admin.email, TEST_PASSWORD, admin.mfaSecret!)
    await page.goto('/tokens')

    const revoke = page.getByRole('button', { name: `Revoke token ${tokenName}` })
    await revoke.click()
    const dialog = page.locator('#confirm-dialog')
    assert.isTrue(await dialog.isVisible())
    assert.include(
      await dialog.innerText(),
      `Revoke token “${tokenName}”? Calls using it will fail`
    )
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    const token = await ApiToken.findByOrFail('name', tokenName)
    assert.isNull(token.revokedAt, 'cancelling leaves the token alone')

    await revoke.click()
    await Promise.all([
      page.waitForEvent('framenavigated'),
      dialog.getByRole('button', { name: 'Revoke' }).click(),
    ])
    await page.waitForLoadState('load')
    await token.refresh()
    assert.isNotNull(token.revokedAt)
  }).timeout(120_000)

  test('pages fit a 390 px phone and the top bar keeps one line at 1440 px, one section current', async ({
    assert,
  }) => {
    // The auditor sees both "Reports" and "Verify a report", whose sections nest
    const auditor = await staffUser('auditor')
    const page = await newPage(browser)
    await signInWithMfa(page, auditor.email, TEST_PASSWORD, auditor.mfaSecret!)
    const pages = [
      '/',
      '/reports',
      '/reports/verify',
      '/audit',
      '/keys',
      '/vendors/subprocessors',
      '/vendors/tias',
      '/data-map/activities',
      '/data-map/flows',
    ]

    await page.setViewportSize({ width: 1440, height: 900 })
    for (const path of pages) {
      await page.goto(path)
      const bar = await page.locator('.topbar').boundingBox()
      const brand = await page.locator('.topbar .brand').boundingBox()
      assert.isBelow(bar!.height, brand!.height * 2 + 24, `${path}: top bar on one line`)
      assert.equal(
        await page.locator('.mainnav [aria-current=page]').count(),
        1,
        `${path}: one current section`
      )
    }

    await page.setViewportSize({ width: 390, height: 844 })
    for (const path of pages) {
      await page.goto(path)
      await page.screenshot({ path: app.tmpPath(`console-390${path.replace(/\//g, '_')}.png`) })
      const overflow = await page.evaluate(() => {
        const doc = (globalThis as any).document
        const width = doc.documentElement.clientWidth
        const wide = [...doc.querySelectorAll('main *')]
          .filter((el: any) => el.getBoundingClientRect().right > width + 1)
          .map((el: any) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))
        return { by: doc.documentElement.scrollWidth - width, wide: wide.slice(0, 5).join(' ') }
      })
      assert.isAtMost(overflow.by, 0, `${path}: no sideways scrolling at 390 px (${overflow.wide})`)
    }
  }).timeout(180_000)
})
