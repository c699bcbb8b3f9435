import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type { Browser, Page } from 'playwright-core'
import {
  TEST_PASSWORD,
  bearerToken,
  createMerchant,
  merchantUser,
  staffUser,
} from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'
import { seedDataMap } from '#tests/helpers/data_map'
import {
  approvedTia,
  closeObjectionWindow,
  proposedSubprocessor,
  publishedSubprocessor,
} from '#tests/helpers/vendors'
import reportService from '#reports/services/report_service'
import objections from '#vendors/services/objections'
import auditTrail from '#audit/services/audit_trail'
import ApiToken from '#access/models/api_token'
import keyring from '#keys/services/keyring'

/**
 * One list page's filter bar, driven as a user drives it: submitted untouched (every field sent
 * empty, which means "any"), then with a term. `before` must show untouched (on the first page);
 * with the term `kept` shows and `dropped` does not.
 */
interface ListCase {
  path: string
  narrow: (page: Page) => Promise<void>
  before: string[]
  kept: string
  dropped: string[]
  /** Lists drawn as cards or defaulting to a status compare texts only, not table rows. */
  compareRows?: false
  /** Where the list is, when the page shows more than the list (default: all of `main`). */
  scope?: string
}

async function submitFilter(page: Page) {
  const bar = page.locator('form[data-filter-bar]')
  await Promise.all([
    page.waitForLoadState('load'),
    page.waitForURL((url) => url.search.length > 0),
    bar.getByRole('button', { name: 'Filter' }).click(),
  ])
}

async function driveFilterBar(page: Page, list: ListCase, assert: any) {
  await page.goto(list.path)
  await submitFilter(page)
  const untouched = await page.locator(list.scope ?? 'main').innerText()
  assert.equal(new URL(page.url()).pathname, list.path, `${list.path}: stays on the list`)
  assert.notInclude(untouched, 'Nothing was saved', `${list.path}: empty fields are not an error`)
  for (const text of list.before)
    assert.include(untouched, text, `${list.path}: untouched shows ${text}`)
  const untouchedRows = await page.locator('main table tbody tr').count()

  await list.narrow(page)
  await submitFilter(page)
  const narrowed = await page.locator(list.scope ?? 'main').innerText()
  assert.equal(new URL(page.url()).pathname, list.path, `${list.path}: filtered stays on the list`)
  assert.notInclude(narrowed, 'Nothing was saved', `${list.path}: the filter is accepted`)
  assert.include(narrowed, list.kept, `${list.path}: filtered keeps ${list.kept}`)
  for (const text of list.dropped)
    assert.notInclude(narrowed, text, `${list.path}: filtered drops ${text}`)
  const narrowedRows = await page.locator('main table tbody tr').count()
  if (list.compareRows !== false)
    assert.isAbove(untouchedRows, narrowedRows, `${list.path}: the filter narrows the list`)
}

test.group('Every list page filters as a browser submits it', (group) => {
  let browser: Browser
  group.setup(async () => {
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('staff lists: audit trail, registers, transfers, keys and the data map', async ({
    assert,
  }) => {
    await seedDataMap()
    const tag = Date.now().toString(36)
    await auditTrail.record({ action: `filtertest.kept_${tag}`, actor: { type: 'system' } })
    await auditTrail.record({ action: `filtertest.other_${tag}`, actor: { type: 'system' } })
    const kept = await proposedSubprocessor({ name: `Kept Vendor ${tag}` })
    const other = await proposedSubprocessor({ name: `Other Vendor ${tag}` })
    await approvedTia({ countryCode: 'US', title: `US transfers ${tag}` })
    await approvedTia({ countryCode: 'IN', title: `India transfers ${tag}` })
    const keptMerchant = await createMerchant(`kept-${tag}`)
    const otherMerchant = await createMerchant(`other-${tag}`)
    await keyring.scope(keptMerchant.id, true)
    await keyring.scope(otherMerchant.id, true)
    const keysReport = await reportService.generate({ kind: 'key-management', generatedBy: 'test' })
    const reviewReport = await reportService.generate({
      kind: 'access-review',
      generatedBy: 'test',
    })
    const { subprocessor: objected } = await publishedSubprocessor({ name: `Objected ${tag}` })
    await objections.raise({
      subprocessorId: objected.id,
      merchantId: keptMerchant.id,
      reason: `Still open ${tag}`,
      via: 'api',
    })
    const { objection: withdrawn } = await objections.raise({
      subprocessorId: objected.id,
      merchantId: otherMerchant.id,
      reason: `Withdrawn later ${tag}`,
      via: 'api',
    })
    await objections.resolve(withdrawn, 'withdrawn', 'Merchant withdrew.')

    const auditor = await staffUser('auditor')
    const page = await newPage(browser)
    await signInWithMfa(page, auditor.email, TEST_PASSWORD, auditor.mfaSecret!)

    const lists: ListCase[] = [
      {
        path: '/audit',
        narrow: async (p) => {
          await p.getByLabel('Action').selectOption(`filtertest.kept_${tag}`)
        },
        before: [`filtertest.kept_${tag}`, `filtertest.other_${tag}`],
        kept: `filtertest.kept_${tag}`,
        dropped: [`filtertest.other_${tag}`],
      },
      {
        path: '/vendors/subprocessors',
        narrow: (p) => p.getByLabel('Name or service').fill(kept.name),
        before: [],
        kept: kept.name,
        dropped: [other.name],
      },
      {
        path: '/vendors/tias',
        narrow: async (p) => {
          await p.locator('form[data-filter-bar]').getByLabel('Country').selectOption('US')
        },
        before: [],
        kept: `US transfers ${tag}`,
        dropped: [`India transfers ${tag}`],
      },
      {
        path: '/keys',
        narrow: (p) => p.getByLabel('Merchant or scope').fill(`kept-${tag}`),
        before: ['staff accounts and platform data'],
        kept: `kept-${tag}`,
        dropped: [`other-${tag}`, 'staff accounts and platform data'],
      },
      {
        path: '/data-map/categories',
        narrow: (p) => p.getByLabel('Code or name').fill('phone'),
        before: ['Customer phone number', 'Customer e-mail address'],
        kept: 'Customer phone number',
        dropped: ['Customer e-mail address'],
      },
      {
        path: '/data-map/subjects',
        narrow: (p) => p.getByLabel('Code or name').fill('merchant_user'),
        before: ['Merchant staff', 'Conversera staff'],
        kept: 'Merchant staff',
        dropped: ['Conversera staff'],
      },
      {
        path: '/data-map/purposes',
        narrow: (p) => p.getByLabel('Code or name').fill('order'),
        before: [
          'Processing orders and purchase enquiries',
          'Securing the platform and detecting abuse',
        ],
        kept: 'Processing orders and purchase enquiries',
        dropped: ['Securing the platform and detecting abuse'],
      },
      {
        path: '/data-map/systems',
        narrow: (p) => p.getByLabel('Code or name').fill('redis'),
        before: ['Hub Redis (queues)', 'Hub PostgreSQL'],
        kept: 'Hub Redis (queues)',
        dropped: ['Hub PostgreSQL'],
      },
      {
        // Countries are picked by name, not typed as codes
        path: '/data-map/systems',
        narrow: async (p) => {
          await p
            .locator('form[data-filter-bar]')
            .getByLabel('Country')
            .selectOption({ label: 'United States' })
        },
        before: ['AI provider API', 'Hub PostgreSQL'],
        kept: 'AI provider API',
        dropped: ['Hub PostgreSQL'],
      },
      {
        // Mechanisms are chosen by their label
        path: '/data-map/flows',
        narrow: async (p) => {
          await p
            .locator('form[data-filter-bar]')
            .getByLabel('Mechanism')
            .selectOption({ label: 'EU-US Data Privacy Framework' })
        },
        before: ['Queue hosting', 'Database hosting'],
        kept: 'Messages via the WhatsApp / Instagram channel',
        dropped: ['Queue hosting', 'Database hosting'],
      },
      {
        path: '/reports',
        narrow: async (p) => {
          await p
            .locator('form[data-filter-bar]')
            .getByLabel('Kind')
            .selectOption({ label: 'Key management' })
        },
        before: [keysReport.documentId, reviewReport.documentId],
        kept: keysReport.documentId,
        dropped: [reviewReport.documentId],
      },
      {
        path: '/vendors/objections',
        narrow: async (p) => {
          await p
            .locator('form[data-filter-bar]')
            .getByLabel('Status')
            .selectOption({ label: 'Withdrawn' })
        },
        before: [`Still open ${tag}`],
        kept: `Withdrawn later ${tag}`,
        dropped: [`Still open ${tag}`],
        compareRows: false,
      },
      {
        path: '/data-map/flows',
        narrow: (p) => p.getByLabel('Name').fill('Queue hosting'),
        before: ['Queue hosting', 'Database hosting'],
        kept: 'Queue hosting',
        dropped: ['Database hosting'],
      },
      {
        path: '/data-map/activities',
        narrow: (p) => p.getByLabel('Code or name').fill('Order processing'),
        before: ['Order processing', 'Security monitoring'],
        kept: 'Order processing',
        dropped: ['Security monitoring'],
      },
    ]
    for (const list of lists) await driveFilterBar(page, list, assert)
  }).timeout(300_000)

  test('admin users list and merchant tokens list', async ({ assert }) => {
    const tag = Date.now().toString(36)
    const merchant = await createMerchant(`tokens-${tag}`)
    const kept = await merchantUser(merchant, 'merchant_agent')
    kept.fullName = `Kept Person ${tag}`
    await kept.save()
    const other = await merchantUser(merchant, 'merchant_agent')
    other.fullName = `Other Person ${tag}`
    await other.save()

    const admin = await staffUser('admin')
    const page = await newPage(browser)
    await signInWithMfa(page, admin.email, TEST_PASSWORD, admin.mfaSecret!)
    await driveFilterBar(
      page,
      {
        path: '/users',
        narrow: (p) => p.getByLabel('Name or e-mail').fill(`Kept Person ${tag}`),
        before: [],
        kept: `Kept Person ${tag}`,
        dropped: [`Other Person ${tag}`],
      },
      assert
    )

    const merchantAdmin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    await bearerToken(merchant, { scopes: ['merchant:read'], name: `live token ${tag}` })
    await bearerToken(merchant, { scopes: ['merchant:read'], name: `revoked token ${tag}` })
    await ApiToken.query()
      .where('name', `revoked token ${tag}`)
      .update({ revoked_at: DateTime.now().toJSDate() })
    const merchantPage = await newPage(browser)
    await signInWithMfa(merchantPage, merchantAdmin.email, TEST_PASSWORD, merchantAdmin.mfaSecret!)
    const { subprocessor: openNotice } = await publishedSubprocessor({ name: `Open window ${tag}` })
    const { subprocessor: closedNotice } = await publishedSubprocessor({
      name: `Closed window ${tag}`,
    })
    await closeObjectionWindow(closedNotice.id)
    await driveFilterBar(
      merchantPage,
      {
        path: '/portal/subprocessors',
        narrow: async (p) => {
          await p
            .locator('form[data-filter-bar]')
            .getByLabel('Objection window')
            .selectOption('open')
        },
        before: [openNotice.name, closedNotice.name],
        kept: openNotice.name,
        dropped: [closedNotice.name],
        compareRows: false,
        // The page also lists the subprocessors in use, whatever the filter
        scope: 'section[aria-labelledby="notices-title"]',
      },
      assert
    )
    await driveFilterBar(
      merchantPage,
      {
        path: '/tokens',
        narrow: async (p) => {
          await p.locator('form[data-filter-bar]').getByLabel('Status').selectOption('active')
        },
        before: [`live token ${tag}`, `revoked token ${tag}`],
        kept: `live token ${tag}`,
        dropped: [`revoked token ${tag}`],
      },
      assert
    )
  }).timeout(300_000)
})
