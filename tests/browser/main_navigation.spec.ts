import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import type { Browser, Page } from 'playwright-core'
import { TEST_PASSWORD, staffUser } from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'

/** How far the page and the navigation bar scroll sideways (0 when they fit). */
async function sidewaysScroll(page: Page) {
  return page.evaluate(() => {
    const doc = (globalThis as any).document
    const nav = doc.querySelector('nav.mainnav')
    return {
      page: doc.documentElement.scrollWidth - doc.documentElement.clientWidth,
      nav: nav.scrollWidth - nav.clientWidth,
    }
  })
}

async function assertFits(page: Page, assert: Assert, where: string) {
  const scroll = await sidewaysScroll(page)
  assert.isAtMost(scroll.page, 0, `${where}: the page scrolls sideways`)
  assert.isAtMost(scroll.nav, 0, `${where}: the navigation scrolls sideways`)
}

/** An open menu hangs over the page: the page must not scroll sideways, nor the menu leave it. */
async function assertMenuOnScreen(page: Page, assert: Assert, where: string) {
  const scroll = await sidewaysScroll(page)
  assert.isAtMost(scroll.page, 0, `${where}: the page scrolls sideways`)
  const menu = (await page.locator('nav.mainnav details[open] > ul').boundingBox())!
  const width = page.viewportSize()!.width
  assert.isAtLeast(menu.x, 0, `${where}: the menu starts off screen`)
  assert.isAtMost(menu.x + menu.width, width, `${where}: the menu ends off screen`)
}

/** The top-level items of the bar all sit on one row. */
async function rowsOfBar(page: Page) {
  const tops = await page
    .locator('nav.mainnav > ul > li')
    .evaluateAll((items) => items.map((item) => Math.round(item.getBoundingClientRect().top)))
  return new Set(tops).size
}

test.group('Main navigation in a browser', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('a DPO at 1280 px finds every page in a few sections, by keyboard, in English and Arabic', async ({
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const page = await newPage(browser)
    await page.setViewportSize({ width: 1280, height: 800 })
    await signInWithMfa(page, dpo.email, TEST_PASSWORD, dpo.mfaSecret!)

    const nav = page.getByRole('navigation', { name: 'Main' })
    await assertFits(page, assert, 'en')
    assert.equal(await rowsOfBar(page), 1)
    assert.equal(await nav.locator('[aria-current=page]').innerText(), 'Dashboard')

    // A section opens from the keyboard and its first page follows with Tab and Enter
    const evidence = nav.locator('summary', { hasText: 'Evidence' })
    await evidence.focus()
    await page.keyboard.press('Enter')
    const reports = nav.getByRole('link', { name: 'Reports' })
    await reports.waitFor()
    await assertMenuOnScreen(page, assert, 'en, menu open')
    await page.keyboard.press('Tab')
    assert.equal(
      await page.evaluate(() => (globalThis as any).document.activeElement.textContent),
      'Reports'
    )
    await Promise.all([page.waitForURL('**/reports'), page.keyboard.press('Enter')])

    // On the new page the section and the page are marked current, and the menu is closed
    assert.equal(await evidence.getAttribute('aria-current'), 'true')
    assert.equal(await nav.locator('a[aria-current=page]').getAttribute('href'), '/reports')
    assert.isFalse(await reports.isVisible())

    // One menu at a time; Escape closes it and gives focus back to its section
    const cases = nav.locator('summary', { hasText: 'Cases' })
    await evidence.click()
    await cases.click()
    assert.isTrue(await nav.getByRole('link', { name: 'Legal holds' }).isVisible())
    assert.isFalse(await reports.isVisible())
    await nav.getByRole('link', { name: 'Legal holds' }).focus()
    await page.keyboard.press('Escape')
    assert.isFalse(await nav.getByRole('link', { name: 'Legal holds' }).isVisible())
    assert.isTrue(
      await cases.evaluate((element) => element === element.ownerDocument.activeElement)
    )

    // In Arabic the bar reads from the right and each menu opens under its section's right edge
    await page.goto('/')
    await Promise.all([
      page.locator('html[dir=rtl]').waitFor(),
      page.getByRole('button', { name: 'العربية' }).click(),
    ])
    const arabicNav = page.getByRole('navigation', { name: 'القائمة الرئيسية' })
    await assertFits(page, assert, 'ar')
    assert.equal(await rowsOfBar(page), 1)
    const arabicEvidence = arabicNav.locator('summary', { hasText: 'الأدلة' })
    await arabicEvidence.click()
    const audit = arabicNav.getByRole('link', { name: 'سجل التدقيق' })
    await audit.waitFor()
    await assertMenuOnScreen(page, assert, 'ar, menu open')
    const section = (await arabicEvidence.boundingBox())!
    const menu = (await arabicNav.locator('details[open] > ul').boundingBox())!
    assert.isAtLeast(menu.x + menu.width, section.x + section.width)
    assert.isBelow(menu.x, section.x)
    await Promise.all([page.waitForURL('**/audit'), audit.click()])
    assert.equal(await arabicNav.locator('a[aria-current=page]').getAttribute('href'), '/audit')
    assert.equal(await arabicEvidence.getAttribute('aria-current'), 'true')

    // On a phone the bar wraps and an open menu stays on screen
    await page.setViewportSize({ width: 390, height: 844 })
    await arabicNav.locator('summary', { hasText: 'الحالات' }).click()
    await arabicNav.getByRole('link', { name: 'الحجز القانوني' }).waitFor()
    await assertMenuOnScreen(page, assert, 'ar at 390 px, menu open')
  }).timeout(120_000)
})
