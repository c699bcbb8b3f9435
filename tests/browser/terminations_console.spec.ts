import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import MerchantTermination from '#dsr/models/merchant_termination'
import terminations from '#dsr/termination/termination_service'
import { createMerchant, merchantUser, staffUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'

test.group('Merchant terminations in a browser', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('the DPO prepares a termination, cannot approve it, and counsel approves it', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const termination = await terminations.request(merchant, 'delete', {
      actor: { type: 'user', id: admin.id },
      userId: admin.id,
    })
    const dpo = await staffUser('dpo')
    const counsel = await staffUser('legal_counsel')
    const scriptErrors: string[] = []

    const first = await newPage(browser)
    first.on('pageerror', (error) => scriptErrors.push(error.message))
    await signInWithMfa(first, dpo.email, TEST_PASSWORD, dpo.mfaSecret!)
    // From the DSR console's tabs to the list, filtered by the merchant's name
    await first.goto('/dsr/cases')
    await Promise.all([
      first.waitForURL('**/dsr/terminations'),
      first
        .getByRole('navigation', { name: 'DSR sections' })
        .getByText('Merchant terminations')
        .click(),
    ])
    await first.getByLabel('Merchant').selectOption({ label: merchant.legalName })
    await first.getByRole('button', { name: 'Filter' }).click()
    await first.waitForURL(`**/dsr/terminations?*merchantId=${merchant.id}*`)
    await Promise.all([
      first.waitForURL(`**/dsr/terminations/${termination.id}`),
      first.getByRole('link', { name: `Termination #${termination.id}` }).click(),
    ])
    assert.include(await first.locator('h1').innerText(), merchant.legalName)

    // Preparing asks first, naming what happens
    await first.getByRole('button', { name: 'Prepare the deletion' }).click()
    const confirm = first.locator('#confirm-dialog')
    assert.include(
      await confirm.innerText(),
      `Prepare the deletion of all data of ${merchant.legalName}?`
    )
    await confirm.getByRole('button', { name: 'Prepare the deletion' }).click()
    await first.getByText('Deletion prepared. A second staff member must now approve it.').waitFor()
    // The preparer is told why approval is not theirs to give
    assert.include(
      await first.locator('[data-approve-unavailable]').innerText(),
      'You prepared this deletion'
    )
    assert.isTrue(await first.getByRole('button', { name: 'Approve deletion' }).isDisabled())

    const second = await newPage(browser)
    second.on('pageerror', (error) => scriptErrors.push(error.message))
    await signInWithMfa(second, counsel.email, TEST_PASSWORD, counsel.mfaSecret!)
    await second.goto(`/dsr/terminations/${termination.id}`)
    await second.getByRole('button', { name: 'Approve deletion' }).click()
    const approval = second.locator('#confirm-dialog')
    assert.include(await approval.innerText(), 'The merchant loses access at once')
    await approval.getByRole('button', { name: 'Approve deletion' }).click()
    await second.getByText('Deletion approved.').waitFor()
    // Counsel may not read users: people stay account numbers for them
    assert.include(await second.locator('[data-approved]').innerText(), `by user #${counsel.id}`)

    const row = await MerchantTermination.findOrFail(termination.id)
    assert.equal(row.status, 'approved')
    assert.equal(row.preparedByUserId, dpo.id)
    assert.equal(row.approvedByUserId, counsel.id)

    // At 390 px the page scrolls inside its panels, not sideways
    await second.setViewportSize({ width: 390, height: 800 })
    await second.goto('/dsr/terminations?status=any')
    const overflow = await second.evaluate(() => {
      const doc = (globalThis as any).document
      return doc.documentElement.scrollWidth - doc.documentElement.clientWidth
    })
    assert.isAtMost(overflow, 1)
    assert.deepEqual(scriptErrors, [])
  }).timeout(60_000)
})
