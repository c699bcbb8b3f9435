import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import type User from '#access/models/user'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import DataCategory from '#data_map/models/data_category'
import ProcessingActivity from '#data_map/models/processing_activity'
import Purpose from '#data_map/models/purpose'
import System from '#data_map/models/system'
import DataFlow from '#data_map/models/data_flow'
import DataSubjectCategory from '#data_map/models/data_subject_category'
import retentionPurge from '#data_map/services/retention_purge'
import { DEFAULT_QUEUE, queueNamed } from '#core/queue'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'

/** A new category whose code is taken: the form must come back with the error. */
function postDuplicateCode(client: ApiClient, analyst: User, language: 'en' | 'ar') {
  return client
    .post('/data-map/categories')
    .actingAs(analyst)
    .withCsrfToken()
    .header('accept-language', language)
    .header('referer', '/data-map/categories/new')
    .form({ code: 'customer.contact.phone', name: 'Duplicate', sensitivity: 'low' })
    .redirects(0)
}

test.group('data_map / console pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('a DPO creates a data category through the form and lands on its page', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const response = await client
      .post('/data-map/categories')
      .actingAs(dpo)
      .withCsrfToken()
      .form({ code: 'customer.contact.telegram', name: 'Telegram handle', sensitivity: 'medium' })
      .redirects(0)
    response.assertStatus(302)
    const category = await DataCategory.findByOrFail('code', 'customer.contact.telegram')
    assert.equal(response.header('location'), `/data-map/categories/${category.id}`)

    const page = await client.get(`/data-map/categories/${category.id}`).actingAs(dpo)
    page.assertStatus(200)
    assert.include(page.text(), 'Telegram handle')
  })

  test('a duplicate code goes back to the form with the error next to the field and the input kept', async ({
    client,
    assert,
  }) => {
    const analyst = await staffUser('privacy_analyst')
    const response = await postDuplicateCode(client, analyst, 'en')
    response.assertStatus(302)
    assert.equal(response.header('location'), '/data-map/categories/new')
    const flash = response.flashMessages() as Record<string, any>
    assert.match(String(flash.errors.code), /already used/)
    assert.equal(flash.name, 'Duplicate')
    assert.lengthOf(await DataCategory.query().where('code', 'customer.contact.phone'), 1)
  })

  test('in Arabic, the duplicate code error reads in Arabic next to the field', async ({
    client,
    assert,
  }) => {
    const analyst = await staffUser('privacy_analyst')
    const response = await postDuplicateCode(client, analyst, 'ar')
    response.assertStatus(302)
    const form = await client
      .get('/data-map/categories/new')
      .actingAs(analyst)
      .header('accept-language', 'ar')
      .withSession(response.session())
      .withFlashMessages(response.flashMessages())
    assert.include(
      form.text(),
      '<p class="field-error" id="code-error">هذا الرمز مستخدم بالفعل؛ يجب أن تكون الرموز فريدة.</p>'
    )
  })

  test('attaching a prohibited purpose in the activity form is refused next to the purpose field', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const purpose = await Purpose.findByOrFail('code', 'profiling.cross_merchant')
    const category = await DataCategory.findByOrFail('code', 'customer.content.message')
    const system = await System.findByOrFail('code', 'hub_postgres')
    const response = await client
      .post('/data-map/activities')
      .actingAs(dpo)
      .withCsrfToken()
      .header('referer', '/data-map/activities/new')
      .form({
        'code': 'profiling',
        'name': 'Cross-merchant profiling',
        'purposeId': purpose.id,
        'retentionDays': 30,
        'categoryIds[]': [category.id],
        'systemIds[]': [system.id],
        'subjectIds[]': [1],
      })
      .redirects(0)
    response.assertStatus(302)
    const flash = response.flashMessages() as Record<string, any>
    assert.match(String(flash.errors.purposeId), /prohibited/)
    assert.isNull(await ProcessingActivity.findBy('code', 'profiling'))
  })

  test('lists filter and page', async ({ client, assert }) => {
    const auditor = await staffUser('auditor')
    const filtered = await client.get('/data-map/categories?sensitivity=high').actingAs(auditor)
    filtered.assertStatus(200)
    assert.include(filtered.text(), 'customer.content.message')
    assert.notInclude(filtered.text(), 'customer.contact.phone')

    // Modules add categories of their own: the pages follow however many the map holds
    const [{ total }] = await db.from('data_categories').count('* as total')
    const firstPage = await client.get('/data-map/categories?perPage=5').actingAs(auditor)
    assert.include(firstPage.text(), `Page 1 of ${Math.ceil(Number(total) / 5)}`)
    assert.include(firstPage.text(), 'page=2')

    const overview = await client.get('/data-map').actingAs(auditor)
    assert.match(overview.text(), /\d+ tables, \d+ columns/)

    const systems = await client.get('/data-map/systems?country=US').actingAs(auditor)
    assert.include(systems.text(), 'AI provider API')
    assert.notInclude(systems.text(), 'Hub PostgreSQL')

    for (const path of [
      '/data-map',
      '/data-map/activities',
      '/data-map/purposes',
      '/data-map/subjects',
      '/data-map/flows',
      '/data-map/retention',
      '/data-map/inventory',
      '/data-map/graph',
    ]) {
      const page = await client.get(path).actingAs(auditor)
      page.assertStatus(200)
    }
  })

  test('every form and detail page renders, new and filled in', async ({ client, assert }) => {
    const dpo = await staffUser('dpo')
    const activity = await ProcessingActivity.findByOrFail('code', 'conversation_handling')
    const system = await System.findByOrFail('code', 'ai_provider_api')
    const category = await DataCategory.findByOrFail('code', 'customer.content.message')
    const purpose = await Purpose.findByOrFail('code', 'security')
    const flow = await DataFlow.firstOrFail()
    const subject = await DataSubjectCategory.firstOrFail()
    const run = await retentionPurge.run({ triggeredBy: 'test' })
    const pages: Array<[string, string]> = [
      ['/data-map/categories/new', 'New data category'],
      [`/data-map/categories/${category.id}/edit`, 'customer.content.message'],
      [`/data-map/categories/${category.id}`, 'Conversation handling'],
      ['/data-map/subjects/new', 'New data-subject category'],
      [`/data-map/subjects/${subject.id}/edit`, subject.name],
      ['/data-map/purposes/new', 'New purpose'],
      [`/data-map/purposes/${purpose.id}/edit`, 'security'],
      ['/data-map/systems/new', 'New system'],
      [`/data-map/systems/${system.id}/edit`, 'ai_provider_api'],
      [`/data-map/systems/${system.id}`, 'Message text to the AI provider'],
      ['/data-map/activities/new', 'New processing activity'],
      [`/data-map/activities/${activity.id}/edit`, 'conversation_handling'],
      ['/data-map/flows/new', 'New data flow'],
      [`/data-map/flows/${flow.id}/edit`, flow.name],
      [`/data-map/retention/rules/${category.id}/edit`, 'Retention for'],
      [`/data-map/retention/runs/${run.id}`, `Purge run #${run.id}`],
      ['/ropa', 'Record of processing activities'],
    ]
    for (const [path, text] of pages) {
      const page = await client.get(path).actingAs(dpo)
      page.assertStatus(200)
      assert.include(page.text(), text, path)
    }
    // An edit form shows the current choices ticked
    const form = await client.get(`/data-map/activities/${activity.id}/edit`).actingAs(dpo)
    assert.match(
      form.text(),
      new RegExp(`name="categoryIds\\[\\]" value="${category.id}"\\s+checked`)
    )
  })

  test('the detail page of an activity shows its transfers', async ({ client, assert }) => {
    const auditor = await staffUser('auditor')
    const activity = await ProcessingActivity.findByOrFail('code', 'intent_classification')
    const page = await client.get(`/data-map/activities/${activity.id}`).actingAs(auditor)
    page.assertStatus(200)
    assert.include(page.text(), 'service.ai_assistance')
    assert.include(page.text(), 'United States')
  })

  test('auditors read but cannot write; merchants cannot see the data map', async ({ client }) => {
    const auditor = await staffUser('auditor')
    const form = await client.get('/data-map/categories/new').actingAs(auditor)
    form.assertStatus(403)
    const post = await client
      .post('/data-map/categories')
      .actingAs(auditor)
      .withCsrfToken()
      .form({ code: 'x.y', name: 'xy', sensitivity: 'low' })
    post.assertStatus(403)
    const merchantAdmin = await merchantUser(await createMerchant(), 'merchant_admin')
    const overview = await client.get('/data-map').actingAs(merchantAdmin)
    overview.assertStatus(403)
  })

  test('running a purge from the console queues the job and follows its progress', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const response = await client
      .post('/data-map/retention/runs')
      .actingAs(dpo)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const location: string = response.header('location') ?? ''
    assert.match(location, /^\/data-map\/retention\/jobs\/\d+$/)
    const jobId = location.split('/').pop()!
    const job = await queueNamed(DEFAULT_QUEUE).getJob(jobId)
    try {
      assert.equal(job?.name, 'data_map.purge_expired')
      assert.deepEqual(job?.data, { triggeredBy: 'console' })
      const page = await client.get(location).actingAs(dpo)
      page.assertStatus(200)
      assert.include(page.text(), `Retention purge job ${jobId}`)
      assert.include(page.text(), 'refreshes every 2 seconds')
    } finally {
      await job?.remove()
    }
  })

  test('removing a data flow takes it off the map and is audited', async ({ client, assert }) => {
    const dpo = await staffUser('dpo')
    const flow = await DataFlow.query().where('name', 'Queue hosting').firstOrFail()
    const response = await client
      .post(`/data-map/flows/${flow.id}/delete`)
      .actingAs(dpo)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.isNull(await DataFlow.find(flow.id))
    const event = await db
      .from('audit_events')
      .where('action', 'data_map.flow_removed')
      .where('target_id', String(flow.id))
      .first()
    assert.exists(event)
    const auditor = await staffUser('auditor')
    const denied = await client
      .post(`/data-map/flows/${flow.id}/delete`)
      .actingAs(auditor)
      .withCsrfToken()
    denied.assertStatus(403)
  })

  test('the graph data joins systems, subprocessors and countries', async ({ client, assert }) => {
    const dpo = await staffUser('dpo')
    const response = await client.get('/data-map/graph.json').actingAs(dpo).accept('json')
    response.assertStatus(200)
    const { nodes, edges } = response.body()
    const kinds = new Set(nodes.map((n: any) => n.data.kind))
    assert.sameMembers([...kinds], ['system', 'subprocessor', 'country'])
    assert.isTrue(nodes.some((n: any) => n.data.id === 'country:US'))
    assert.isTrue(edges.some((e: any) => e.data.kind === 'flow'))
    for (const edge of edges) {
      assert.isTrue(
        nodes.some((n: any) => n.data.id === edge.data.source),
        edge.data.id
      )
      assert.isTrue(
        nodes.some((n: any) => n.data.id === edge.data.target),
        edge.data.id
      )
    }
  })
})
