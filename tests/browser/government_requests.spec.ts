import { test } from '@japa/runner'
import type { Browser } from 'playwright-core'
import GovernmentRequest from '#government_requests/models/government_request'
import Disclosure from '#government_requests/models/disclosure'
import { TEST_PASSWORD } from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'
import { govFixture } from '#tests/helpers/government_requests'

test.group('Government requests in a browser', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('counsel records and assesses a court order, the DPO approves the narrowed decision, counsel discloses', async ({
    assert,
  }) => {
    const fx = await govFixture()
    const reference = `BRW-${Date.now()}`
    const counsel = await newPage(browser)
    const scriptErrors: string[] = []
    counsel.on('pageerror', (error) => scriptErrors.push(error.message))
    await signInWithMfa(counsel, fx.counsel.email, TEST_PASSWORD, fx.counsel.mfaSecret!)

    await counsel.goto('/government-requests/new')
    // Submitted empty: the refusal says why next to the fields
    await counsel.getByRole('button', { name: 'Record the request' }).click()
    await counsel.locator('#authorityName-error').waitFor()

    await counsel.getByLabel('Authority name').fill('محكمة الجيزة الابتدائية')
    await counsel.getByLabel('Country').selectOption('EG')
    await counsel.getByLabel('Type of authority').selectOption('court')
    await counsel.getByLabel('Type of instrument').selectOption('court_order')
    await counsel.getByLabel('Its reference').fill(reference)
    await counsel.getByLabel('Legal basis cited').fill('Code of Criminal Procedure, Art. 206')
    // An old request (received 2025): it is shown as overdue, and stays out of this half-year
    await counsel.getByLabel('Received (Cairo time)').fill('2025-03-10T10:00')
    await counsel.getByLabel('Deadline rule').selectOption('pdpl_art10')
    await counsel.getByLabel('Identifiers').fill(`${fx.customer.phone}\nother@person.test`)
    await counsel
      .getByRole('group', { name: 'Merchants concerned' })
      .getByLabel(fx.merchant.legalName)
      .check()
    const categories = counsel.getByRole('group', { name: 'Data categories' })
    await categories.getByLabel('Customer phone number').check()
    await categories.getByLabel('Customer profile name').check()
    await counsel.getByLabel('The document (stored encrypted)').setInputFiles({
      name: 'order.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 browser order'),
    })
    await Promise.all([
      counsel.waitForURL(/\/government-requests\/\d+$/),
      counsel.getByRole('button', { name: 'Record the request' }).click(),
    ])
    const request = await GovernmentRequest.findByOrFail('instrumentReference', reference)
    assert.include(await counsel.locator('h1').innerText(), request.reference)
    assert.include(await counsel.content(), 'محكمة الجيزة الابتدائية')

    // The checklist, every answer with its reasoning
    for (const item of [
      'written',
      'competent_authority',
      'legal_basis',
      'jurisdiction',
      'proportionate',
      'notification',
    ]) {
      const fieldset = counsel.locator(`fieldset[data-item="${item}"]`)
      await fieldset.getByLabel('Yes').check()
      await fieldset.getByLabel('Reasoning').fill(`Checked: ${item}.`)
    }
    await counsel.getByRole('button', { name: 'Save the assessment' }).click()
    await counsel.getByText('Assessment saved.').waitFor()

    await counsel.locator('select#outcome').selectOption('narrow')
    await counsel.getByLabel('Reasons').fill('Only the first number is named in the charge sheet.')
    await counsel.locator('input[name="identifierIndexes[]"][value="1"]').uncheck()
    await counsel.getByRole('button', { name: 'Propose the decision' }).click()
    await counsel.getByText('a second person must approve it').waitFor()

    // The DPO approves it (counsel could not)
    const dpo = await newPage(browser)
    await signInWithMfa(dpo, fx.dpo.email, TEST_PASSWORD, fx.dpo.mfaSecret!)
    await dpo.goto(`/government-requests/${request.id}`)
    await dpo.getByRole('button', { name: 'Approve this decision' }).click()
    // The confirmation names what happens
    const confirm = dpo.locator('#confirm-dialog')
    assert.include(await confirm.innerText(), 'becomes the answer to the authority')
    await confirm.getByRole('button', { name: 'Confirm' }).click()
    await dpo.getByText('Decision approved.').waitFor()

    // Counsel picks the fields and builds the package
    await counsel.goto(`/government-requests/${request.id}`)
    await counsel
      .locator(`input[name="fields[]"][value="0:${fx.merchant.id}:customer.identity.profile_name"]`)
      .check()
    await counsel.getByRole('button', { name: 'Build the encrypted package' }).click()
    await counsel.locator('#confirm-dialog').getByRole('button', { name: 'Confirm' }).click()
    await counsel.getByRole('status').getByText('content key').waitFor()
    const disclosures = await Disclosure.query().where('request_id', request.id)
    assert.lengthOf(disclosures, 1)
    assert.deepEqual(disclosures[0].categories, ['customer.identity.profile_name'])
    assert.include(await counsel.locator('.timeline').innerText(), 'Package built and handed over')

    await counsel.goto(`/government-requests?q=${request.reference}`)
    assert.include(await counsel.locator('tbody').innerText(), request.reference)
    // At 390 px the list scrolls inside its panel rather than the page
    await counsel.setViewportSize({ width: 390, height: 800 })
    const overflow = await counsel.evaluate(() => {
      const doc = (globalThis as any).document
      return doc.documentElement.scrollWidth - doc.documentElement.clientWidth
    })
    assert.isAtMost(overflow, 1)
    assert.deepEqual(scriptErrors, [])
  })
})
