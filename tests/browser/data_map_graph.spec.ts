import { test } from '@japa/runner'
import { mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import type { Browser } from 'playwright-core'
import DataCategory from '#data_map/models/data_category'
import { dataMapGraph } from '#data_map/services/data_map_graph'
import retentionPurge from '#data_map/services/retention_purge'
import { staffUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'
import { resetRateLimits } from '#tests/helpers/rate_limits'
import { seedDataMap } from '#tests/helpers/data_map'

test.group('Data map console in Chromium', (group) => {
  let browser: Browser
  group.setup(async () => {
    await resetRateLimits()
    await seedDataMap()
    browser = await launchBrowser()
    return () => browser.close()
  })

  test('the graph draws systems, subprocessors and countries with the local cytoscape', async ({
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const page = await newPage(browser)
    const blocked: string[] = []
    page.on('console', (message) => {
      // The browser's own favicon probe is not part of the page
      const url = message.location().url
      if (message.type() === 'error' && !url.endsWith('/favicon.ico'))
        blocked.push(`${message.text()} ${url}`)
    })
    page.on('response', (response) => {
      if (response.status() >= 400) blocked.push(`${response.status()} ${response.url()}`)
    })
    await signInWithMfa(page, dpo.email, TEST_PASSWORD, dpo.mfaSecret!)

    await page.goto('/data-map/graph')
    const graph = page.locator('#data-map-graph[data-state="ready"]')
    await graph.waitFor({ timeout: 15_000 })
    const nodes = Number(await graph.getAttribute('data-node-count'))
    const edges = Number(await graph.getAttribute('data-edge-count'))
    // Everything the map holds is drawn: the seed alone is 6 systems, 3 subprocessors, 2 countries
    const expected = await dataMapGraph()
    assert.isAtLeast(nodes, 11)
    assert.equal(nodes, expected.nodes.length)
    assert.equal(edges, expected.edges.length)
    assert.match(
      await page.locator('#data-map-graph-status').innerText(),
      /\d+ nodes and \d+ connections drawn/
    )
    assert.isAbove(await page.locator('#data-map-graph canvas').count(), 0)
    assert.deepEqual(blocked, [], 'no script errors or CSP violations')

    await mkdir(app.makePath('tmp/screenshots'), { recursive: true })
    await page.screenshot({
      path: app.makePath('tmp/screenshots/data-map-graph.png'),
      fullPage: true,
    })

    await page.goto('/ropa')
    await page.getByRole('heading', { level: 1, name: /Record of processing activities/ }).waitFor()
    await page.screenshot({ path: app.makePath('tmp/screenshots/ropa.png'), fullPage: true })
    await page.goto('/data-map/activities/new')
    await page.screenshot({
      path: app.makePath('tmp/screenshots/data-map-activity-form.png'),
      fullPage: true,
    })
  })

  test('in Arabic, the graph reports what it drew in Arabic', async ({ assert }) => {
    const dpo = await staffUser('dpo')
    const page = await newPage(browser)
    await signInWithMfa(page, dpo.email, TEST_PASSWORD, dpo.mfaSecret!)
    await page.goto('/data-map/graph')
    await Promise.all([
      page.waitForURL('**/data-map/graph'),
      page.getByRole('button', { name: 'العربية' }).click(),
    ])
    await page.locator('#data-map-graph[data-state="ready"]').waitFor({ timeout: 15_000 })
    const status = await page.locator('#data-map-graph-status').innerText()
    assert.match(status, /^رُسمت [0-9٠-٩]+ عقدة و[0-9٠-٩]+ وصلة\.$/)
  })

  test('the retention page charts purge runs without script errors', async ({ assert }) => {
    await retentionPurge.run({ triggeredBy: 'browser-test' })
    const dpo = await staffUser('dpo')
    const page = await newPage(browser)
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
        errors.push(message.text())
    })
    await signInWithMfa(page, dpo.email, TEST_PASSWORD, dpo.mfaSecret!)
    await page.goto('/data-map/retention')
    const canvas = page.locator('#purge-runs-chart')
    await canvas.waitFor()
    // Chart.js sizes the canvas once it has drawn
    await page.waitForFunction(
      "(() => { const c = document.getElementById('purge-runs-chart'); return !!c && !!window.Chart.getChart(c) })()"
    )
    assert.include(await page.locator('table').last().innerText(), 'browser-test')
    assert.deepEqual(errors, [])
  })

  test('a duplicate category code shows its error next to the field; fixing it saves', async ({
    assert,
  }) => {
    const analyst = await staffUser('privacy_analyst')
    const page = await newPage(browser)
    await signInWithMfa(page, analyst.email, TEST_PASSWORD, analyst.mfaSecret!)

    await page.goto('/data-map/categories/new')
    await page.getByLabel('Code').fill('customer.contact.phone')
    await page.getByLabel('Name').fill('Browser category')
    await page.getByLabel('Sensitivity').selectOption('low')
    await Promise.all([
      page.waitForURL('**/data-map/categories/new'),
      page.getByRole('button', { name: 'Save' }).click(),
    ])

    const error = page.locator('#code-error')
    assert.include(await error.innerText(), 'already used')
    assert.equal(await page.getByLabel('Code').getAttribute('aria-invalid'), 'true')
    assert.equal(await page.getByLabel('Name').inputValue(), 'Browser category', 'input kept')

    const code = `customer.contact.browser_${Date.now()}`
    await page.getByLabel('Code').fill(code)
    await Promise.all([
      page.waitForURL(/\/data-map\/categories\/\d+$/),
      page.getByRole('button', { name: 'Save' }).click(),
    ])
    assert.include(await page.locator('h1').innerText(), code)
    assert.exists(await DataCategory.findBy('code', code))
  })
})
