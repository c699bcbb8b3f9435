import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import { TEST_PASSWORD, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'
import Subprocessor from '#vendors/models/subprocessor'
import Objection from '#vendors/models/objection'
import { ensureCategories } from '#tests/helpers/vendors'

test.group('Vendors console in a browser', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('staff announce a subprocessor, a merchant objects in the portal, staff resolve it', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    // Merchant admins, like staff, always sign in with a second factor
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const dpo = await staffUser('dpo')
    await ensureCategories(['customer.content.media'])
    const name = `Browser Vendor ${Date.now()}`

    const staff = await newPage(browser)
    const scriptErrors: string[] = []
    staff.on('pageerror', (error) => scriptErrors.push(error.message))
    staff.on('console', (message) => {
      // The browser's own favicon probe is not a page error
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
        scriptErrors.push(message.text())
      }
    })
    await signInWithMfa(staff, dpo.email, TEST_PASSWORD, dpo.mfaSecret!)
    await staff.goto('/vendors/subprocessors/new')
    await staff.getByLabel('Name', { exact: true }).fill(name)
    await staff.getByLabel('Service', { exact: true }).fill('Speech to text API')
    await staff.getByLabel('Purpose').fill('Transcribe voice notes for merchants.')
    // Categories and countries are picked from searchable lists, not typed as codes
    await staff.getByLabel('Search data categories').fill('media')
    await staff.locator('input[name="dataCategories[]"][value="customer.content.media"]').check()
    await staff.getByLabel('Search processing countries').fill('united states')
    await staff.locator('input[name="processingCountries[]"][value="US"]').check()
    assert.isTrue(
      await staff.locator('input[name="processingCountries[]"][value="EG"]').isHidden(),
      'the search hides countries that do not match'
    )
    // A category the data map does not know (a stale page, a crafted post) is refused aloud
    await staff.locator('#dataCategories-options').evaluate((list) => {
      list.insertAdjacentHTML(
        'beforeend',
        '<label><input type="checkbox" name="dataCategories[]" value="customer.unknown.thing" checked> stale</label>'
      )
    })
    await staff.getByLabel('Transfer mechanism').selectOption('scc_module_3')
    await staff.getByLabel('DPA signed on').fill('2026-02-01')
    await Promise.all([
      staff.waitForURL('**/vendors/subprocessors/new'),
      staff.getByRole('button', { name: 'Save' }).click(),
    ])

    // The error sits next to the field, the field is marked invalid, the input is kept
    const error = staff.locator('#dataCategories-error')
    assert.include(await error.innerText(), 'customer.unknown.thing')
    assert.equal(
      await staff.locator('fieldset:has(#dataCategories-options)').getAttribute('aria-invalid'),
      'true'
    )
    assert.equal(await staff.getByLabel('Name', { exact: true }).inputValue(), name)
    assert.isTrue(
      await staff.locator('input[name="processingCountries[]"][value="US"]').isChecked()
    )

    await Promise.all([
      staff.waitForURL(/\/vendors\/subprocessors\/\d+$/),
      staff.getByRole('button', { name: 'Save' }).click(),
    ])
    await staff.getByLabel('Objection window (days)').fill('30')
    // No TIA covers the US yet: publishing warns first and names why
    await staff.getByRole('button', { name: 'Publish notice to merchants' }).click()
    const warning = staff.locator('#confirm-dialog')
    assert.include(await warning.innerText(), 'are not compliant')
    await Promise.all([
      staff.waitForEvent('framenavigated'),
      warning.getByRole('button', { name: 'Publish anyway' }).click(),
    ])
    await staff.waitForLoadState('load')
    assert.include(await staff.locator('h1').innerText(), 'Notice published')
    const subprocessor = await Subprocessor.findByOrFail('name', name)

    const portal = await newPage(browser)
    await signInWithMfa(portal, admin.email, TEST_PASSWORD, admin.mfaSecret!)
    await portal.goto('/portal/subprocessors')
    const reason = portal.getByLabel('Reason for objecting').first()
    await reason.fill('Voice notes must not leave Egypt.')
    await Promise.all([
      portal.waitForURL('**/portal/subprocessors'),
      portal.getByRole('button', { name: 'Object to this change' }).first().click(),
    ])
    assert.include(await portal.locator('[role=status]').innerText(), 'objection is recorded')
    const objection = await Objection.query()
      .where({ merchantId: merchant.id, subprocessorId: subprocessor.id })
      .firstOrFail()

    await staff.goto('/vendors/objections')
    const row = staff.locator(`#objection-${objection.id}`)
    await row.getByLabel('Outcome').selectOption('upheld')
    await row.getByLabel('Note').fill('Agreed: this merchant stays off the vendor.')
    await Promise.all([
      staff.waitForURL('**/vendors/objections'),
      row.getByRole('button', { name: 'Resolve' }).click(),
    ])
    await objection.refresh()
    assert.equal(objection.status, 'upheld')

    // The comparison chart is drawn by the page script under the CSP, without errors
    const drawn = await staff
      .locator('#objections-chart')
      .evaluate((canvas) => (canvas as { width: number }).width > 0)
    assert.isTrue(drawn)
    assert.deepEqual(scriptErrors, [])

    await portal.reload()
    const noticeText = await portal.locator(`#notice-${objection.noticeId}`).innerText()
    assert.include(noticeText.toLowerCase(), 'upheld')
  })
})
