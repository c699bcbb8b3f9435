import { test } from '@japa/runner'
import { mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import type { Browser } from 'playwright-core'
import { staffUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'
import { resetRateLimits } from '#tests/helpers/rate_limits'

test.group('Console sign-in in Chromium', (group) => {
  let browser: Browser
  group.setup(async () => {
    await resetRateLimits()
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('a DPO signs in with password and TOTP and sees the dashboard', async ({ assert }) => {
    const dpo = await staffUser('dpo')
    const page = await newPage(browser)

    await signInWithMfa(page, dpo.email, TEST_PASSWORD, dpo.mfaSecret!)

    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
    const cards = page.locator('.cards .card')
    assert.isAbove(await cards.count(), 0)
    for (const value of await page.locator('.cards .card .value').allInnerTexts()) {
      assert.match(value.trim(), /^\d+$/)
    }
    assert.include(await page.locator('.whoami').innerText(), 'Test dpo')

    const screenshot = app.makePath('tmp/screenshots/dashboard.png')
    await mkdir(app.makePath('tmp/screenshots'), { recursive: true })
    await page.screenshot({ path: screenshot, fullPage: true })

    // Signing out from the account menu ends the session
    await page.locator('.whoami summary').click()
    await Promise.all([
      page.waitForURL('**/login'),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ])
    await page.goto('/')
    assert.match(new URL(page.url()).pathname, /^\/login$/)
  })

  test('a wrong password keeps the user on the login page with an error', async ({ assert }) => {
    const analyst = await staffUser('privacy_analyst')
    const page = await newPage(browser)
    await page.goto('/login')
    await page.getByLabel('E-mail').fill(analyst.email)
    await page.getByLabel('Password').fill('not-the-password')
    await page.keyboard.press('Enter')
    await page.locator('#login-error').waitFor()
    assert.include(
      await page.locator('#login-error').innerText(),
      'The e-mail or password is wrong.'
    )
    assert.equal(await page.getByLabel('E-mail').inputValue(), analyst.email)
  })
})
