import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import env from '#start/env'
import { childText, childrenNamed, parseXml } from '#tests/helpers/xml'
import subprocessorRegistry from '#vendors/services/subprocessor_registry'
import {
  effectiveSubprocessor,
  proposedSubprocessor,
  publishedSubprocessor,
} from '#tests/helpers/vendors'

test.group('vendors / public list and feed', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the JSON list is public, paged, and hides proposals and retired vendors', async ({
    client,
    assert,
  }) => {
    const effective = await effectiveSubprocessor({ name: 'Alpha AI' })
    await publishedSubprocessor({
      name: 'Beta Cloud',
      transferMechanism: 'none_eea',
      processingCountries: ['IE'],
    })
    await proposedSubprocessor({ name: 'Gamma Secret Proposal' })
    const retired = await effectiveSubprocessor({ name: 'Delta Old' })
    await subprocessorRegistry.transition(retired, 'retired')

    // Rows other test files committed may be listed too; ours are found by name
    const response = await client.get('/api/v1/subprocessors').qs({ perPage: 100 })
    response.assertStatus(200)
    const body = response.body()
    const names = body.data.map((s: { name: string }) => s.name)
    assert.includeMembers(names, ['Alpha AI', 'Beta Cloud'])
    assert.notInclude(names, 'Gamma Secret Proposal')
    assert.notInclude(names, 'Delta Old')
    const alpha = body.data.find((s: { name: string }) => s.name === 'Alpha AI')
    assert.deepInclude(alpha, {
      id: effective.id,
      status: 'effective',
      transferMechanism: 'scc_module_3',
      processingCountries: ['US'],
      aiTerms: {
        trainsOnCustomerData: false,
        abuseLogRetentionDays: 30,
        zeroDataRetention: false,
        notes: null,
      },
    })
    assert.match(alpha.effectiveAt, /Z$/)

    const total = body.meta.total
    const first = await client.get('/api/v1/subprocessors').qs({ perPage: 1 })
    assert.deepEqual(first.body().meta, { total, page: 1, perPage: 1, lastPage: total })
    assert.lengthOf(first.body().data, 1)
    const second = await client.get('/api/v1/subprocessors').qs({ perPage: 1, page: 2 })
    assert.notEqual(second.body().data[0].id, first.body().data[0].id)

    const bad = await client.get('/api/v1/subprocessors').qs({ perPage: 1000 })
    bad.assertStatus(422)
  })

  test('the HTML page needs no sign-in and lists what merchants were told', async ({
    client,
    assert,
  }) => {
    await effectiveSubprocessor({ name: 'Alpha AI' })
    await proposedSubprocessor({ name: 'Gamma Secret Proposal' })
    const response = await client.get('/subprocessors')
    response.assertStatus(200)
    assert.include(response.text(), 'Alpha AI')
    assert.include(response.text(), 'no training on customer data')
    assert.include(response.text(), 'United States')
    assert.notInclude(response.text(), 'Gamma Secret Proposal')
  })

  test('the Atom feed is well-formed and lists notices newest first', async ({
    client,
    assert,
  }) => {
    await effectiveSubprocessor({
      name: 'Alpha <AI> & Co',
      purpose: 'Replies "quoted" & <escaped>.',
    })
    await publishedSubprocessor({
      name: 'Beta Cloud',
      transferMechanism: 'none_eea',
      processingCountries: ['IE'],
    })
    const response = await client.get('/subprocessors/feed.atom')
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /application\/atom\+xml/)
    const feed = parseXml(response.text())
    assert.equal(feed.name, 'feed')
    assert.equal(feed.attributes.xmlns, 'http://www.w3.org/2005/Atom')
    assert.match(childText(feed, 'updated')!, /Z$/)
    const entries = childrenNamed(feed, 'entry')
    const titles = entries.map((entry) => childText(entry, 'title'))
    assert.includeMembers(titles, ['Addition: Alpha <AI> & Co', 'Addition: Beta Cloud'])
    // Newest first
    assert.equal(titles[0], 'Addition: Beta Cloud')
    for (const entry of entries) {
      assert.match(childText(entry, 'id')!, /^urn:conversera:subprocessor-notice:\d+$/)
      assert.match(childText(entry, 'updated')!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    }
  })

  test('the feed links to APP_URL whatever Host header the request carries', async ({
    client,
    assert,
  }) => {
    await publishedSubprocessor({ name: 'Gamma Mail' })
    const response = await client
      .get('/subprocessors/feed.atom')
      .header('host', 'attacker.example')
      .header('x-forwarded-host', 'attacker.example')
    response.assertStatus(200)
    assert.notInclude(response.text(), 'attacker.example')
    const links = childrenNamed(parseXml(response.text()), 'link').map((l) => l.attributes.href)
    assert.isNotEmpty(links)
    for (const href of links) assert.isTrue(href.startsWith(env.get('APP_URL')), href)
  })

  test('one subprocessor by id: announced ones only', async ({ client }) => {
    const effective = await effectiveSubprocessor()
    const proposal = await proposedSubprocessor()
    const shown = await client.get(`/api/v1/subprocessors/${effective.id}`)
    shown.assertStatus(200)
    shown.assertBodyContains({ data: { id: effective.id, status: 'effective' } })
    const hidden = await client.get(`/api/v1/subprocessors/${proposal.id}`)
    hidden.assertStatus(404)
    hidden.assertBodyContains({ error: { code: 'not_found' } })
  })
})
