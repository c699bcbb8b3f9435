import { test } from '@japa/runner'
import { mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { authenticator } from 'otplib'
import type { Browser } from 'playwright-core'
import { createMerchant, merchantUser, staffUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { launchBrowser, newPage } from '#tests/helpers/browser'
import { resetRateLimits } from '#tests/helpers/rate_limits'

test.group('Signing in in Arabic', (group) => {
  let browser: Browser
  group.setup(async () => {
    await resetRateLimits()
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('a DPO picks Arabic, signs in with password and TOTP, and the console reads right to left', async ({
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const page = await newPage(browser)
    await page.goto('/login')
    assert.equal(await page.locator('html').getAttribute('dir'), 'ltr')

    await Promise.all([
      page.waitForURL('**/login'),
      page.getByRole('button', { name: 'العربية' }).click(),
    ])
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl')
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar')

    await page.getByLabel('البريد الإلكتروني').fill(dpo.email)
    await page.getByLabel('كلمة المرور').fill(TEST_PASSWORD)
    await Promise.all([
      page.waitForURL('**/mfa'),
      page.getByRole('button', { name: 'دخول' }).click(),
    ])
    await page.getByRole('heading', { level: 1, name: 'المصادقة الثنائية' }).waitFor()
    await page.getByLabel('الرمز').fill(authenticator.generate(dpo.mfaSecret!))
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/'),
      page.getByRole('button', { name: 'تحقق' }).click(),
    ])

    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl')
    const nav = await page.locator('nav.mainnav').innerText()
    assert.include(nav, 'لوحة المعلومات')
    // The audit trail sits in the Evidence menu, closed until opened
    assert.include(nav, 'الأدلة')
    await page.locator('nav.mainnav summary', { hasText: 'الأدلة' }).click()
    assert.isTrue(await page.getByRole('link', { name: 'سجل التدقيق' }).isVisible())
    // The header lays out from the right: the brand sits right of the navigation
    const brand = await page.locator('.brand').boundingBox()
    const whoami = await page.locator('.whoami').boundingBox()
    assert.isAbove(brand!.x, whoami!.x)

    await page.goto('/account/security')
    await page.getByRole('heading', { level: 1, name: 'أمان الحساب' }).waitFor()
    await mkdir(app.makePath('tmp/screenshots'), { recursive: true })
    await page.screenshot({ path: app.makePath('tmp/screenshots/account_security_ar.png') })
  })

  test('a merchant admin reads the portal in Arabic after choosing it', async ({ assert }) => {
    const admin = await merchantUser(await createMerchant(), 'merchant_admin', { withMfa: true })
    const page = await newPage(browser)
    await page.goto('/login')
    await Promise.all([
      page.waitForURL('**/login'),
      page.getByRole('button', { name: 'العربية' }).click(),
    ])
    await page.getByLabel('البريد الإلكتروني').fill(admin.email)
    await page.getByLabel('كلمة المرور').fill(TEST_PASSWORD)
    // Merchant admins pass MFA like staff
    await Promise.all([
      page.waitForURL('**/mfa'),
      page.getByRole('button', { name: 'دخول' }).click(),
    ])
    await page.getByLabel('الرمز').fill(authenticator.generate(admin.mfaSecret!))
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/'),
      page.getByRole('button', { name: 'تحقق' }).click(),
    ])
    await page.goto('/portal/subprocessors')
    await page.getByRole('heading', { level: 2, name: 'المعالجون الفرعيون الحاليون' }).waitFor()
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl')
  })
})
