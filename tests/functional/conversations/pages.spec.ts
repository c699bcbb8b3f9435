import { test } from '@japa/runner'
import type User from '#access/models/user'
import type { ApiClient, ApiResponse } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import AuditEvent from '#audit/models/audit_event'
import Message from '#conversations/models/message'
import WebhookEvent from '#conversations/models/webhook_event'
import MerchantAiInstruction from '#conversations/models/merchant_ai_instruction'
import OutboundMessage from '#conversations/outbox/outbound_message'
import { Outbox } from '#conversations/outbox/outbox'
import handoffs from '#conversations/processing/handoffs'
import AiProcessingLog from '#conversations/processing/ai_processing_log'
import purposeGuard, { GUARD_DENIED_ACTION } from '#conversations/guards/purpose_guard'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'
import { customerConversation, inboundMessage } from '#tests/helpers/conversation_fixtures'

const TOKEN = 'EAAG-secret-token-never-shown'

async function handedOff() {
  const merchant = await createMerchant()
  const fixture = await customerConversation(merchant, { mode: 'human', token: null })
  fixture.conversation.handoffReason = 'complaint'
  await fixture.conversation.save()
  const message = await inboundMessage(fixture.conversation, 'My parcel arrived broken')
  return { merchant, ...fixture, message }
}

const validInstructions = {
  products: 'Cotton T-shirt | 350\nLeather wallet | 1,250.50\nGift card',
  returnsWindowDays: '14',
  deliveryMinDays: '2',
  deliveryMaxDays: '4',
  deliveryFeeEgp: '50',
  deliveryCities: 'Cairo\nGiza',
  paymentMethods: ['cash_on_delivery', 'instapay'],
  tone: 'formal',
  languages: ['ar', 'en'],
  escalationIntents: ['complaint'],
  escalationKeywords: 'wholesale\nجملة',
  minConfidence: '0.6',
}

test.group('conversations / portal inbox', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('an agent sees handed-off conversations and reads one through the guard', async ({
    client,
    assert,
  }) => {
    const { merchant, conversation } = await handedOff()
    const agent = await merchantUser(merchant, 'merchant_agent')
    const list = await client.get('/portal/conversations').actingAs(agent)
    list.assertStatus(200)
    assert.include(list.text(), `id="conversation-${conversation.id}"`)
    assert.include(list.text(), 'Complaint')

    const view = await client.get(`/portal/conversations/${conversation.id}`).actingAs(agent)
    view.assertStatus(200)
    assert.include(view.text(), 'My parcel arrived broken')
    assert.include(view.text(), 'Mona Adel')
    const read = await AuditEvent.query()
      .where({ action: 'personal_data.read', targetId: String(conversation.id) })
      .firstOrFail()
    assert.equal(read.purpose, 'service.human_handoff')
    assert.equal(read.actorId, String(agent.id))
  })

  test('merchant B gets 404 for merchant A’s conversation, to read or to answer', async ({
    client,
    assert,
  }) => {
    const { conversation } = await handedOff()
    const other = await createMerchant()
    const agent = await merchantUser(other, 'merchant_agent')
    const view = await client.get(`/portal/conversations/${conversation.id}`).actingAs(agent)
    view.assertStatus(404)
    assert.notInclude(view.text(), 'My parcel arrived broken')
    const reply = await client
      .post(`/portal/conversations/${conversation.id}/replies`)
      .actingAs(agent)
      .withCsrfToken()
      .form({ text: 'hello' })
      .redirects(0)
    reply.assertStatus(404)
    const list = await client.get('/portal/conversations').actingAs(agent)
    assert.notInclude(list.text(), `id="conversation-${conversation.id}"`)
    assert.lengthOf(await OutboundMessage.query().where('conversation_id', conversation.id), 0)
  })

  test('the guard refuses to show a restricted customer’s conversation, and says so in the trail', async ({
    client,
    assert,
  }) => {
    const { merchant, conversation, customer } = await handedOff()
    customer.restrictedAt = DateTime.utc()
    await customer.save()
    const agent = await merchantUser(merchant, 'merchant_agent')
    const view = await client.get(`/portal/conversations/${conversation.id}`).actingAs(agent)
    view.assertStatus(403)
    assert.notInclude(view.text(), 'My parcel arrived broken')
    const denial = await AuditEvent.query()
      .where({ action: GUARD_DENIED_ACTION, targetId: String(conversation.id) })
      .firstOrFail()
    assert.equal(denial.purpose, 'service.human_handoff')
    assert.equal(denial.meta.reason, 'customer_restricted')
  })

  test('an agent’s reply goes through the outbox and is held while the channel has no token', async ({
    client,
    assert,
  }) => {
    const { merchant, conversation } = await handedOff()
    const agent = await merchantUser(merchant, 'merchant_agent')
    const response = await client
      .post(`/portal/conversations/${conversation.id}/replies`)
      .actingAs(agent)
      .withCsrfToken()
      .form({ text: 'Sorry about that, we will replace it.' })
      .redirects(0)
    response.assertStatus(302)
    const row = await OutboundMessage.query()
      .where({ conversationId: conversation.id, kind: 'agent_reply' })
      .firstOrFail()
    assert.equal(row.sentByUserId, agent.id)
    const message = await Message.findOrFail(row.messageId)
    assert.equal(message.body, 'Sorry about that, we will replace it.')
    assert.equal(message.sentByUserId, agent.id)

    await new Outbox().send(row.id)
    await row.refresh()
    assert.equal(row.state, 'held')
    const view = await client.get(`/portal/conversations/${conversation.id}`).actingAs(agent)
    assert.include(view.text(), 'Not sent: channel not connected')
    assert.notInclude(view.text(), 'channel not connected: channel not connected')
  })

  test('an agent cannot send a free-form reply once the 24-hour window has closed', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, {
      mode: 'human',
      lastInboundAt: DateTime.utc().minus({ hours: 30 }),
    })
    const agent = await merchantUser(merchant, 'merchant_agent')
    const view = await client.get(`/portal/conversations/${conversation.id}`).actingAs(agent)
    assert.include(view.text(), 'more than 24 hours ago')
    assert.notInclude(view.text(), 'name="text"')
    const refused = await client
      .post(`/portal/conversations/${conversation.id}/replies`)
      .actingAs(agent)
      .withCsrfToken()
      .header('referer', `/portal/conversations/${conversation.id}`)
      .form({ text: 'Are you still there?' })
      .redirects(0)
    refused.assertStatus(302)
    assert.lengthOf(await OutboundMessage.query().where('conversation_id', conversation.id), 0)
  })

  test('on Instagram an agent may answer for 7 days, as a human agent; then no longer', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const agent = await merchantUser(merchant, 'merchant_agent')
    const reply = (conversationId: number) =>
      client
        .post(`/portal/conversations/${conversationId}/replies`)
        .actingAs(agent)
        .withCsrfToken()
        .header('referer', `/portal/conversations/${conversationId}`)
        .form({ text: 'Sorry for the wait: your parcel left today.' })
        .redirects(0)

    const threadLastWritten = async (days: number) => {
      const { conversation } = await customerConversation(merchant, {
        mode: 'human',
        channel: 'instagram',
        lastInboundAt: DateTime.utc().minus({ days }),
      })
      return conversation
    }

    const recent = await threadLastWritten(3)
    const open = await client.get(`/portal/conversations/${recent.id}`).actingAs(agent)
    assert.include(open.text(), 'sent as a human-agent message')
    assert.include(open.text(), 'name="text"')
    const accepted = await reply(recent.id)
    accepted.assertStatus(302)
    assert.lengthOf(await OutboundMessage.query().where('conversation_id', recent.id), 1)

    const old = await threadLastWritten(8)
    const closed = await client.get(`/portal/conversations/${old.id}`).actingAs(agent)
    assert.include(closed.text(), 'more than 7 days ago')
    assert.notInclude(closed.text(), 'name="text"')
    const refused = await reply(old.id)
    refused.assertStatus(302)
    assert.lengthOf(await OutboundMessage.query().where('conversation_id', old.id), 0)

    const list = await client.get('/portal/conversations?mode=human').actingAs(agent)
    assert.include(list.text(), 'Agents only (Instagram, up to 7 days)')
    assert.include(list.text(), 'Closed (over 7 days)')
  })

  test('handing back to the AI puts the conversation back in AI mode', async ({
    client,
    assert,
  }) => {
    const { merchant, conversation } = await handedOff()
    const agent = await merchantUser(merchant, 'merchant_agent')
    await client
      .post(`/portal/conversations/${conversation.id}/hand-back`)
      .actingAs(agent)
      .withCsrfToken()
      .redirects(0)
    await conversation.refresh()
    assert.equal(conversation.mode, 'ai')
    assert.isNull(conversation.handoffReason)
    assert.exists(
      await AuditEvent.query()
        .where({ action: 'conversations.hand_back', targetId: String(conversation.id) })
        .first()
    )
  })

  test('the agent’s dashboard counts the conversations waiting for them', async ({
    client,
    assert,
  }) => {
    const { merchant } = await handedOff()
    await customerConversation(merchant, { mode: 'ai' })
    const agent = await merchantUser(merchant, 'merchant_agent')
    const dashboard = await client.get('/').actingAs(agent)
    dashboard.assertStatus(200)
    const card = /data-card="conversations_with_agents">\s*<div class="value">(\d+)</.exec(
      dashboard.text()
    )
    assert.equal(card?.[1], '1')
  })

  test('the inbox speaks Arabic', async ({ client, assert }) => {
    const { merchant } = await handedOff()
    const agent = await merchantUser(merchant, 'merchant_agent')
    const page = await client
      .get('/portal/conversations')
      .actingAs(agent)
      .header('accept-language', 'ar-EG,ar;q=0.9')
    page.assertStatus(200)
    assert.include(page.text(), 'صندوق الوارد')
    assert.include(page.text(), 'dir="rtl"')
  })
})

/** The AI-instructions form posted as the merchant admin, in a language. */
function postInstructions(
  client: ApiClient,
  admin: User,
  form: Record<string, unknown>,
  language = 'en'
) {
  return client
    .post('/portal/ai-instructions')
    .actingAs(admin)
    .withCsrfToken()
    .header('accept-language', language)
    .header('referer', '/portal/ai-instructions')
    .form(form)
    .redirects(0)
}

/** The form again, with what the refused post flashed. */
function formAfter(client: ApiClient, admin: User, refused: ApiResponse, language = 'en') {
  return client
    .get('/portal/ai-instructions')
    .actingAs(admin)
    .header('accept-language', language)
    .withSession(refused.session())
    .withFlashMessages(refused.flashMessages())
}

test.group('conversations / AI instructions in the portal', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a merchant admin saves products, policies, tone and escalation rules', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const response = await client
      .post('/portal/ai-instructions')
      .actingAs(admin)
      .withCsrfToken()
      .form(validInstructions)
      .redirects(0)
    response.assertStatus(302)
    const row = await MerchantAiInstruction.findByOrFail('merchantId', merchant.id)
    assert.deepEqual(row.products, [
      { name: 'Cotton T-shirt', price: 350, currency: 'EGP' },
      { name: 'Leather wallet', price: 1250.5, currency: 'EGP' },
      { name: 'Gift card', price: null, currency: 'EGP' },
    ])
    assert.deepInclude(row.deliveryPolicy!, {
      minDays: 2,
      maxDays: 4,
      feeEgp: 50,
      cities: ['Cairo', 'Giza'],
    })
    assert.deepEqual(row.paymentPolicy!.methods, ['cash_on_delivery', 'instapay'])
    assert.equal(row.tone, 'formal')
    assert.deepEqual(row.escalationRules, {
      intents: ['complaint'],
      keywords: ['wholesale', 'جملة'],
      minConfidence: 0.6,
    })

    const form = await client.get('/portal/ai-instructions').actingAs(admin)
    assert.include(form.text(), 'Leather wallet | 1250.5')
  })

  test('a bad product line is refused next to its field, with what was typed kept', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const response = await postInstructions(client, admin, {
      ...validInstructions,
      products: 'Cotton T-shirt | cheap',
      languages: [],
    })
    response.assertStatus(302)
    assert.isNull(await MerchantAiInstruction.findBy('merchantId', merchant.id))
    const form = await formAfter(client, admin, response)
    assert.include(form.text(), 'id="languages-error"')
    assert.include(form.text(), 'Choose at least one language for replies')
    assert.include(form.text(), 'Cotton T-shirt | cheap')

    const prices = await postInstructions(client, admin, {
      ...validInstructions,
      products: 'Cotton T-shirt | cheap',
    })
    const again = await formAfter(client, admin, prices)
    assert.include(again.text(), 'id="products-error"')
    assert.include(again.text(), 'Line 1: &quot;cheap&quot; is not a price')
  })

  test('in Arabic, a price that is not a number is refused in Arabic next to the products', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const arabic = 'ar-EG,ar;q=0.9'
    const response = await postInstructions(
      client,
      admin,
      { ...validInstructions, products: 'Cotton T-shirt | cheap' },
      arabic
    )
    response.assertStatus(302)
    const errors = response.flashMessages().errors as Record<string, string[]>
    assert.deepEqual(errors.products, ['أحد الأسعار ليس رقمًا؛ اكتب رقمًا مثل 350 أو 1,250.50.'])
    const form = await formAfter(client, admin, response, arabic)
    assert.include(form.text(), 'id="products-error">أحد الأسعار ليس رقمًا')
    assert.notInclude(form.text(), 'is not a price')
  })

  test('agents cannot change the AI instructions', async ({ client }) => {
    const merchant = await createMerchant()
    const agent = await merchantUser(merchant, 'merchant_agent')
    const response = await client.get('/portal/ai-instructions').actingAs(agent)
    response.assertStatus(403)
  })
})

test.group('conversations / staff console', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('the DPO reads the AI log, guard denials, the outbox and channels, never a token', async ({
    client,
    assert,
  }) => {
    const { merchant, conversation, message, connection } = await handedOff()
    connection.accessToken = null
    await connection.save()
    await customerConversation(merchant, { token: TOKEN })
    await AiProcessingLog.create({
      merchantId: merchant.id,
      conversationId: conversation.id,
      messageId: message.id,
      customerId: conversation.customerId,
      purpose: 'service.ai_assistance',
      provider: 'local',
      model: 'local-intent-v1',
      subprocessorId: null,
      redactions: 3,
      outcome: 'handoff',
      intent: 'complaint',
      decision: 'handoff',
      errorCode: null,
      latencyMs: 4.2,
    })
    await purposeGuard.check({
      merchantId: merchant.id,
      purpose: 'marketing.advertising',
      categories: ['customer.content.message'],
      destination: { kind: 'in_process' },
      records: [],
      customer: null,
      honourOptOut: true,
      conversationId: conversation.id,
    })
    const dpo = await staffUser('dpo')

    const log = await client
      .get('/conversations/ai-log')
      .actingAs(dpo)
      .qs({ merchant: merchant.id })
    log.assertStatus(200)
    assert.include(log.text(), merchant.legalName)
    assert.include(log.text(), 'Handed to a person')
    assert.include(log.text(), 'None (inside the hub)')
    assert.notInclude(log.text(), 'My parcel arrived broken')

    const denials = await client
      .get('/conversations/guard-denials')
      .actingAs(dpo)
      .qs({ merchant: merchant.id, reason: 'purpose_prohibited' })
    denials.assertStatus(200)
    assert.include(denials.text(), 'Prohibited purpose')
    assert.include(denials.text(), `#${conversation.id}`)

    const reply = await db.transaction((trx) =>
      new Outbox().stage(
        {
          conversation,
          text: 'We are on it',
          kind: 'agent_reply',
          inboundMessageId: null,
          sentByUserId: null,
        },
        trx
      )
    )
    await new Outbox().send(reply.id)
    const outbox = await client
      .get('/conversations/outbox')
      .actingAs(dpo)
      .qs({ merchant: merchant.id, state: 'held' })
    outbox.assertStatus(200)
    assert.include(outbox.text(), `id="outbound-${reply.id}"`)
    assert.include(outbox.text(), 'Not sent: channel not connected')

    const channels = await client
      .get('/conversations/channels')
      .actingAs(dpo)
      .qs({ merchant: merchant.id })
    channels.assertStatus(200)
    assert.include(channels.text(), 'data-token="present"')
    assert.include(channels.text(), 'data-token="missing"')
    assert.notInclude(channels.text(), TOKEN)

    message.merge({ intent: 'price_inquiry', confidence: 0.9 })
    await message.save()
    await db.transaction((trx) => handoffs.handOff(conversation, 'suspected_minor', null, trx))
    const overview = await client.get('/conversations').actingAs(dpo).qs({ merchant: merchant.id })
    overview.assertStatus(200)
    assert.include(overview.text(), 'Messages by intent')
    assert.include(overview.text(), '<td>Price question</td><td>1</td>')
    assert.include(overview.text(), '<td>Possibly a minor</td><td>1</td>')
    assert.include(overview.text(), 'id="intents-chart"')
  })

  test('an admin replays an unroutable event from the console; an auditor may only look', async ({
    client,
    assert,
  }) => {
    const event = await WebhookEvent.create({
      object: 'whatsapp_business_account',
      kind: 'message',
      dedupeKey: `wamid.replay-${Date.now()}`,
      channelExternalId: '109999000111',
      payload: null,
      merchantId: null,
      channelConnectionId: null,
      state: 'unroutable',
      attempts: 1,
      errorCode: 'unknown_channel',
      receivedAt: DateTime.utc(),
    })
    const auditor = await staffUser('auditor')
    const listed = await client.get('/conversations/unroutable').actingAs(auditor)
    listed.assertStatus(200)
    assert.include(listed.text(), `id="event-${event.id}"`)
    assert.include(listed.text(), '109999000111')
    assert.notInclude(listed.text(), `/conversations/unroutable/${event.id}/replay`)
    const refused = await client
      .post(`/conversations/unroutable/${event.id}/replay`)
      .actingAs(auditor)
      .withCsrfToken()
      .redirects(0)
    refused.assertStatus(403)

    const admin = await staffUser('admin')
    const page = await client.get('/conversations/unroutable').actingAs(admin)
    assert.include(page.text(), `/conversations/unroutable/${event.id}/replay`)
    const replayed = await client
      .post(`/conversations/unroutable/${event.id}/replay`)
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
    replayed.assertStatus(302)
    await event.refresh()
    assert.equal(event.state, 'received')
    assert.exists(
      await AuditEvent.query()
        .where({ action: 'conversations.events_replayed', targetId: String(event.id) })
        .first()
    )
  })

  test('merchant users and privacy analysts do not reach the AI log', async ({ client }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const asAdmin = await client.get('/conversations/ai-log').actingAs(admin)
    asAdmin.assertStatus(403)
    const analyst = await staffUser('privacy_analyst')
    const asAnalyst = await client.get('/conversations/ai-log').actingAs(analyst)
    asAnalyst.assertStatus(403)
  })
})
