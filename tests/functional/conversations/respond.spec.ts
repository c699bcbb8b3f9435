import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { AiGateway } from '#conversations/ai/gateway'
import Conversation from '#conversations/models/conversation'
import CustomerRightsRequest from '#conversations/models/customer_rights_request'
import Message from '#conversations/models/message'
import MerchantAiInstruction from '#conversations/models/merchant_ai_instruction'
import { Responder } from '#conversations/processing/responder'
import AiProcessingLog from '#conversations/processing/ai_processing_log'
import OutboundMessage from '#conversations/outbox/outbound_message'
import { GUARD_DENIED_ACTION } from '#conversations/guards/purpose_guard'
import AuditEvent from '#audit/models/audit_event'
import MerchantNotification from '#vendors/models/merchant_notification'
import { createMerchant } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'
import { compliantAiSubprocessor } from '#tests/helpers/ai_destination'
import { FAKE_OPENAI_KEY, FakeOpenAi } from '#tests/helpers/fake_openai'
import {
  customerConversation,
  inboundMessage,
  shopInstructions,
} from '#tests/helpers/conversation_fixtures'

const local = new AiGateway({ provider: 'local' })
const responder = new Responder(async () => local)

async function outcomeOf(runner: Responder, messageId: number) {
  const { outcome } = await runner.respond(messageId)
  return outcome
}

async function shop() {
  const merchant = await createMerchant()
  await shopInstructions(merchant)
  const fixture = await customerConversation(merchant)
  return { merchant, ...fixture }
}

const outboxOf = (conversation: Conversation) =>
  OutboundMessage.query().where('conversation_id', conversation.id).orderBy('id')

test.group('conversations / respond step', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('a price question is answered from the instructions, classified, logged and queued once', async ({
    assert,
  }) => {
    const { conversation } = await shop()
    const message = await inboundMessage(conversation, 'How much is the cotton t-shirt?')

    const first = await responder.respond(message.id)
    assert.equal(first.outcome, 'reply')
    await message.refresh()
    assert.equal(message.intent, 'price_inquiry')
    assert.isAbove(message.confidence!, 0.5)
    assert.deepInclude(message.entitiesValue()!, { orderNumber: null })

    const [reply] = await outboxOf(conversation)
    assert.equal(reply.kind, 'ai_reply')
    assert.equal(reply.inboundMessageId, message.id)
    const text = await Message.findOrFail(reply.messageId)
    assert.equal(text.direction, 'outbound')
    assert.equal(text.status, 'queued')
    assert.include(text.body!, '350')

    const log = await AiProcessingLog.query().where('message_id', message.id).firstOrFail()
    assert.deepInclude(log.serialize(), {
      provider: 'local',
      purpose: 'service.ai_assistance',
      outcome: 'ok',
      subprocessorId: null,
      intent: 'price_inquiry',
      decision: 'reply',
    })

    // A retried job (worker killed after the commit) sends no second reply
    const again = await responder.respond(message.id)
    assert.equal(again.outcome, 'already_processed')
    assert.lengthOf(await outboxOf(conversation), 1)
  })

  test('a request for a person hands the conversation to the agents and the AI stops', async ({
    assert,
  }) => {
    const { conversation } = await shop()
    const message = await inboundMessage(conversation, 'I want to talk to a human please')
    const { outcome } = await responder.respond(message.id)
    assert.equal(outcome, 'handoff')
    await conversation.refresh()
    assert.equal(conversation.mode, 'human')
    assert.equal(conversation.handoffReason, 'human_request')
    assert.isNotNull(conversation.handedOffAt)
    const [notice] = await outboxOf(conversation)
    assert.equal(notice.kind, 'handoff_notice')
    const event = await AuditEvent.query()
      .where({ action: 'conversations.handoff', targetId: String(conversation.id) })
      .firstOrFail()
    assert.equal(event.meta.reason, 'human_request')

    const next = await inboundMessage(conversation, 'How much is the cotton t-shirt?')
    assert.equal(await outcomeOf(responder, next.id), 'human_mode')
    await next.refresh()
    assert.isNull(next.intent)
  })

  test('a complaint and a suspected minor hand off with their reasons', async ({ assert }) => {
    const complaint = await shop()
    const angry = await inboundMessage(
      complaint.conversation,
      'This is terrible service, my order arrived broken and I am very angry'
    )
    await responder.respond(angry.id)
    await complaint.conversation.refresh()
    assert.equal(complaint.conversation.mode, 'human')
    assert.equal(complaint.conversation.handoffReason, 'complaint')

    const minor = await shop()
    const young = await inboundMessage(
      minor.conversation,
      'I am 14 years old, how much is the shirt?'
    )
    await responder.respond(young.id)
    await minor.conversation.refresh()
    assert.equal(minor.conversation.handoffReason, 'suspected_minor')
  })

  test('the merchant’s escalation keyword hands off, as its own rule', async ({ assert }) => {
    const { conversation } = await shop()
    const instructions = await MerchantAiInstruction.findByOrFail(
      'merchantId',
      conversation.merchantId
    )
    instructions.escalationRules = { keywords: ['wholesale'] }
    await instructions.save()
    const message = await inboundMessage(conversation, 'Do you sell the cotton t-shirt wholesale?')
    assert.equal(await outcomeOf(responder, message.id), 'handoff')
    await conversation.refresh()
    assert.equal(conversation.handoffReason, 'merchant_rule')
  })

  test('an opt-out marks the customer, sends nothing, and nothing more is processed', async ({
    assert,
  }) => {
    const { conversation, customer } = await shop()
    const stop = await inboundMessage(conversation, 'STOP')
    assert.equal(await outcomeOf(responder, stop.id), 'opt_out')
    await customer.refresh()
    assert.isNotNull(customer.optedOutAt)
    assert.lengthOf(await outboxOf(conversation), 0)
    assert.exists(
      await AuditEvent.query()
        .where({ action: 'conversations.customer.opted_out', targetId: String(customer.id) })
        .first()
    )

    const later = await inboundMessage(conversation, 'How much is the cotton t-shirt?')
    assert.equal(await outcomeOf(responder, later.id), 'opted_out')
    assert.lengthOf(await outboxOf(conversation), 0)
  })

  test('an Arabic opt-out is honoured too', async ({ assert }) => {
    const { conversation, customer } = await shop()
    const stop = await inboundMessage(conversation, 'الغاء')
    assert.equal(await outcomeOf(responder, stop.id), 'opt_out')
    await customer.refresh()
    assert.isNotNull(customer.optedOutAt)
  })

  test('a data-rights request is recorded for the merchant, notified, and acknowledged', async ({
    assert,
  }) => {
    const { merchant, conversation, customer } = await shop()
    const ask = await inboundMessage(conversation, 'امسحوا بياناتي من عندكم')
    assert.equal(await outcomeOf(responder, ask.id), 'data_rights_request')

    const request = await CustomerRightsRequest.query().where('message_id', ask.id).firstOrFail()
    assert.deepInclude(request.serialize(), {
      merchantId: merchant.id,
      customerId: customer.id,
      conversationId: conversation.id,
      requestType: 'erasure',
      source: 'chat',
      state: 'awaiting_merchant',
    })
    const notice = await MerchantNotification.query()
      .where({ merchantId: merchant.id, sourceType: 'customer_rights_request' })
      .firstOrFail()
    assert.equal(notice.sourceId, String(request.id))
    assert.notInclude(notice.body, 'بياناتي')

    const [ack] = await outboxOf(conversation)
    assert.equal(ack.kind, 'data_rights_ack')
    // Nothing was erased: the hub fulfils nothing without the merchant's instruction
    await customer.refresh()
    assert.isNotNull(customer.waId)
  })

  test('a guard denial sends the conversation to a human without an AI call', async ({
    assert,
  }) => {
    const { conversation, customer } = await shop()
    customer.restrictedAt = DateTime.utc()
    await customer.save()
    const message = await inboundMessage(conversation, 'How much is the cotton t-shirt?')
    assert.equal(await outcomeOf(responder, message.id), 'guard_denied')
    await conversation.refresh()
    assert.equal(conversation.mode, 'human')
    assert.equal(conversation.handoffReason, 'guard_denied')
    const log = await AiProcessingLog.query().where('message_id', message.id).firstOrFail()
    assert.equal(log.outcome, 'denied')
    assert.equal(log.errorCode, 'customer_restricted')
    const denial = await AuditEvent.query()
      .where({ action: GUARD_DENIED_ACTION, targetId: String(conversation.id) })
      .firstOrFail()
    assert.equal(denial.meta.reason, 'customer_restricted')
    assert.lengthOf(await outboxOf(conversation), 0)
    await message.refresh()
    assert.isNull(message.intent)
  })

  test('outbound messages and messages without text are not answered', async ({ assert }) => {
    const { conversation } = await shop()
    const echo = await Message.create({
      merchantId: conversation.merchantId,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      direction: 'outbound',
      type: 'text',
      body: 'Thanks for your order',
      status: 'sent',
    })
    assert.equal(await outcomeOf(responder, echo.id), 'not_inbound')
    const image = await inboundMessage(conversation, null, 'image')
    assert.equal(await outcomeOf(responder, image.id), 'no_text')
    assert.equal(await outcomeOf(responder, 2_000_000_000), 'missing')
  })
})

test.group('conversations / respond step through OpenAI (real SDK, fake endpoint)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())
  let fake: FakeOpenAi
  group.each.setup(async () => {
    fake = await new FakeOpenAi().start()
    return () => fake.stop()
  })

  test('the call is guarded, minimised and logged with its subprocessor and redactions', async ({
    assert,
  }) => {
    const subprocessor = await compliantAiSubprocessor()
    const openai = new AiGateway({
      provider: 'openai',
      openai: {
        apiKey: FAKE_OPENAI_KEY,
        baseURL: fake.baseURL,
        model: 'gpt-test-mini',
        timeoutMs: 5000,
      },
    })
    const viaOpenAi = new Responder(async () => openai)
    const { conversation } = await shop()
    const message = await inboundMessage(
      conversation,
      'How much is the cotton t-shirt? my number is 01012345678, mail mona@example.com'
    )
    fake.answerWith({
      intent: 'price_inquiry',
      confidence: 0.94,
      entities: {
        products: [{ name: 'Cotton T-shirt', quantity: 1 }],
        order_number: null,
        city: null,
        address: null,
      },
      reply: 'The Cotton T-shirt costs 350 EGP.',
      missing_instruction: null,
    })

    assert.equal(await outcomeOf(viaOpenAi, message.id), 'reply')
    const sent = JSON.stringify(fake.requests[0].body)
    assert.notInclude(sent, '01012345678')
    assert.notInclude(sent, 'mona@example.com')
    const log = await AiProcessingLog.query().where('message_id', message.id).firstOrFail()
    assert.deepInclude(log.serialize(), {
      provider: 'openai',
      model: 'gpt-test-mini',
      subprocessorId: subprocessor.id,
      redactions: 2,
      outcome: 'ok',
    })
  })

  test('a failing provider hands the conversation to a human and logs the error', async ({
    assert,
  }) => {
    await compliantAiSubprocessor()
    const openai = new AiGateway({
      provider: 'openai',
      openai: {
        apiKey: FAKE_OPENAI_KEY,
        baseURL: fake.baseURL,
        model: 'gpt-test-mini',
        timeoutMs: 5000,
      },
    })
    const { conversation } = await shop()
    const message = await inboundMessage(conversation, 'How much is the cotton t-shirt?')
    fake.failWith(500)
    fake.failWith(500)
    fake.failWith(500)
    assert.equal(await outcomeOf(new Responder(async () => openai), message.id), 'handoff')
    await conversation.refresh()
    assert.equal(conversation.handoffReason, 'ai_failure')
    const log = await AiProcessingLog.query().where('message_id', message.id).firstOrFail()
    assert.equal(log.outcome, 'error')
    assert.isNotNull(log.errorCode)
  })

  test('an AI subprocessor that is not effective never receives the text', async ({ assert }) => {
    const openai = new AiGateway({
      provider: 'openai',
      openai: {
        apiKey: FAKE_OPENAI_KEY,
        baseURL: fake.baseURL,
        model: 'gpt-test-mini',
        timeoutMs: 5000,
      },
    })
    // The seed only proposes OpenAI: the guard refuses before any request leaves
    const { conversation } = await shop()
    const message = await inboundMessage(conversation, 'How much is the cotton t-shirt?')
    const result = await new Responder(async () => openai).respond(message.id)
    assert.equal(result.outcome, 'guard_denied')
    assert.lengthOf(fake.requests, 0)
    const log = await AiProcessingLog.query().where('message_id', message.id).firstOrFail()
    assert.equal(log.errorCode, 'subprocessor_inactive')
  })
})
