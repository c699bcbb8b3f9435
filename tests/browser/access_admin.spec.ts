import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import User from '#access/models/user'
import { rolesOf } from '#access/services/authorization'
import { TEST_PASSWORD, staffUser } from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'

test.group('User administration in a browser', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('an admin adds a user and grants a role using only the keyboard', async ({ assert }) => {
    const admin = await staffUser('admin')
    const page = await newPage(browser)
    await signInWithMfa(page, admin.email, TEST_PASSWORD, admin.mfaSecret!)

    // The dashboard shows what to act on and the navigation's Settings lead to the user pages
    await page.locator('[data-card="staff_without_mfa"]').waitFor()
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.locator('summary', { hasText: 'Settings' }).focus()
    await page.keyboard.press('Enter')
    await nav.getByRole('link', { name: 'Users' }).focus()
    await Promise.all([page.waitForURL('**/users'), page.keyboard.press('Enter')])
    await page.getByRole('link', { name: 'Add a user' }).focus()
    await Promise.all([page.waitForURL('**/users/new'), page.keyboard.press('Enter')])

    // Submitting empty shows errors next to the fields, focusable and labelled
    await page.getByLabel('Full name').focus()
    await page.keyboard.press('Enter')
    await page.locator('#fullName-error').waitFor()
    assert.equal(await page.getByLabel('Full name').getAttribute('aria-invalid'), 'true')
    assert.include(await page.locator('#fullName-error').innerText(), 'full name')

    const email = `kbd-${Date.now()}@staff.test`
    await page.getByLabel('Full name').focus()
    await page.keyboard.type('Keyboard Analyst')
    await page.keyboard.press('Tab')
    await page.keyboard.type(email)
    await page.getByLabel('Role').focus()
    await page.getByLabel('Role').selectOption('privacy_analyst')
    // No password field: the person sets their own through the e-mailed invitation
    assert.equal(await page.locator('input[type="password"]').count(), 0)
    await page.getByRole('button', { name: 'Create user and send invitation' }).focus()
    await Promise.all([page.waitForURL(/\/users$/), page.keyboard.press('Enter')])
    assert.include(await page.getByRole('status').innerText(), 'An invitation is on its way')

    const created = (await User.findByEmail(email))!
    assert.deepEqual(await rolesOf(created.id, 'platform'), ['privacy_analyst'])
    await page.goto(`/users/${created.id}`)

    // Grant a second role from the user page
    await page.getByLabel('Assign a role').focus()
    await page.getByLabel('Assign a role').selectOption('legal_counsel')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Revoke role Legal counsel' }).waitFor()
    assert.deepEqual(await rolesOf(created.id, 'platform'), ['legal_counsel', 'privacy_analyst'])
  })
})
