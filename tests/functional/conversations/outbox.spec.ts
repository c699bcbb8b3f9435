import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Conversation from '#conversations/models/conversation'
import Message from '#conversations/models/message'
import { GraphClient } from '#conversations/graph/graph_client'
import OutboundMessage, { type OutboundKind } from '#conversations/outbox/outbound_message'
import { backoffDelayMs, MAX_SEND_ATTEMPTS, Outbox } from '#conversations/outbox/outbox'
import { createMerchant } from '#tests/helpers/actors'
import { FakeGraph } from '#tests/helpers/fake_graph'
import { customerConversation } from '#tests/helpers/conversation_fixtures'

const TOKEN = 'EAAG-test-token'

async function staged(
  outbox: Outbox,
  conversation: Conversation,
  text = 'Your order ships today',
  kind: OutboundKind = 'agent_reply'
) {
  return db.transaction((trx) =>
    outbox.stage({ conversation, text, kind, inboundMessageId: null, sentByUserId: null }, trx)
  )
}

test.group('conversations / outbox and the Graph API', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  let graph: FakeGraph
  let outbox: Outbox
  group.each.setup(async () => {
    graph = await new FakeGraph().start()
    graph.tokens.add(TOKEN)
    outbox = new Outbox(async () => new GraphClient({ baseUrl: graph.baseUrl, version: 'v21.0' }))
    return () => graph.stop()
  })

  test('a WhatsApp reply is sent in the Cloud API shape and Meta’s id lands on the message', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation, connection, customer } = await customerConversation(merchant, {
      token: TOKEN,
    })
    const row = await staged(outbox, conversation)
    assert.equal(await outbox.send(row.id), 'sent')

    assert.lengthOf(graph.requests, 1)
    const [request] = graph.requests
    assert.equal(request.path, `/v21.0/${connection.externalId}/messages`)
    assert.equal(request.authorization, `Bearer ${TOKEN}`)
    assert.deepEqual(request.body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      type: 'text',
      text: { body: 'Your order ships today', preview_url: false },
      to: customer.waId,
    })
    await row.refresh()
    assert.equal(row.state, 'sent')
    assert.equal(row.attempts, 1)
    assert.match(row.providerMessageId!, /^wamid\./)
    const message = await Message.findOrFail(row.messageId)
    assert.equal(message.metaMessageId, row.providerMessageId)
    assert.equal(message.status, 'sent')

    // Sending again is a no-op: the row is no longer pending
    assert.equal(await outbox.send(row.id), 'sent')
    assert.lengthOf(graph.requests, 1)
  })

  test('an Instagram reply goes to the account with the recipient’s IGSID', async ({ assert }) => {
    const merchant = await createMerchant()
    const { conversation, connection, customer } = await customerConversation(merchant, {
      token: TOKEN,
      channel: 'instagram',
    })
    const row = await staged(outbox, conversation, 'Thanks!')
    assert.equal(await outbox.send(row.id), 'sent')
    const [request] = graph.requests
    assert.equal(request.path, `/v21.0/${connection.externalId}/messages`)
    assert.deepEqual(request.body, {
      recipient: { id: customer.instagramId },
      message: { text: 'Thanks!' },
    })
    await row.refresh()
    assert.isNotNull(row.providerMessageId)
  })

  test('a channel without a token keeps the reply in the outbox, and sends it once connected', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation, connection } = await customerConversation(merchant, { token: null })
    const row = await staged(outbox, conversation)
    assert.equal(await outbox.send(row.id), 'held')
    await row.refresh()
    assert.equal(row.notSentReason, 'channel_not_connected')
    assert.equal(row.attempts, 0)
    assert.lengthOf(graph.requests, 0)
    const queued = await Message.findOrFail(row.messageId)
    assert.equal(queued.status, 'queued')

    connection.accessToken = TOKEN
    await connection.save()
    await outbox.sweep()
    await row.refresh()
    assert.equal(row.state, 'sent')
    assert.isNull(row.notSentReason)
  })

  test('a server error is retried with backoff, then sent', async ({ assert }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, { token: TOKEN })
    const row = await staged(outbox, conversation)
    graph.serverError()
    const before = DateTime.utc()
    assert.equal(await outbox.send(row.id), 'pending')
    await row.refresh()
    assert.equal(row.attempts, 1)
    assert.equal(row.errorCode, '1')
    const wait = row.nextAttemptAt!.diff(before).as('milliseconds')
    assert.isAtLeast(wait, backoffDelayMs(1) - 1000)
    assert.isAtMost(wait, backoffDelayMs(1) + 5000)

    // Not due yet: the sweeper leaves it
    await outbox.sweep()
    await row.refresh()
    assert.equal(row.attempts, 1)
    assert.lengthOf(graph.requests, 1)
    row.nextAttemptAt = DateTime.utc().minus({ seconds: 1 })
    await row.save()
    await outbox.sweep()
    await row.refresh()
    assert.equal(row.attempts, 2)
    assert.equal(row.state, 'sent')
    assert.lengthOf(graph.requests, 2)
  })

  test('backoff doubles from 30 seconds and is capped at an hour', ({ assert }) => {
    assert.deepEqual(
      [1, 2, 3, 4, 10].map((attempt) => backoffDelayMs(attempt)),
      [30_000, 60_000, 120_000, 240_000, 3_600_000]
    )
  })

  test('after the last attempt the reply fails with Meta’s error on the message', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, { token: TOKEN })
    const row = await staged(outbox, conversation)
    graph.serverError(MAX_SEND_ATTEMPTS)
    for (let attempt = 1; attempt <= MAX_SEND_ATTEMPTS; attempt++) {
      await outbox.send(row.id)
    }
    await row.refresh()
    assert.equal(row.state, 'failed')
    assert.equal(row.attempts, MAX_SEND_ATTEMPTS)
    const message = await Message.findOrFail(row.messageId)
    assert.equal(message.status, 'failed')
    assert.equal(message.errorCode, '1')
  })

  test('error 131047 (re-engagement) is final and recorded as outside the 24-hour window', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, { token: TOKEN })
    const row = await staged(outbox, conversation)
    graph.reengagementRequired()
    assert.equal(await outbox.send(row.id), 'not_sent')
    await row.refresh()
    assert.equal(row.notSentReason, 'outside_24h_window')
    assert.equal(row.errorCode, '131047')
    assert.include(row.errorTitle!, '24 hours')
    assert.equal(await outbox.send(row.id), 'not_sent')
    assert.lengthOf(graph.requests, 1)
  })

  test('no free-form reply leaves after 24 hours without a customer message', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, {
      token: TOKEN,
      lastInboundAt: DateTime.utc().minus({ hours: 24, minutes: 1 }),
    })
    const row = await staged(outbox, conversation)
    assert.equal(await outbox.send(row.id), 'not_sent')
    await row.refresh()
    assert.equal(row.notSentReason, 'outside_24h_window')
    assert.lengthOf(graph.requests, 0)
    const message = await Message.findOrFail(row.messageId)
    assert.equal(message.status, 'failed')
    assert.equal(message.errorCode, 'outside_24h_window')
  })

  test('on Instagram past 24 hours only an agent reply leaves, tagged HUMAN_AGENT, for 7 days', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation, customer } = await customerConversation(merchant, {
      token: TOKEN,
      channel: 'instagram',
      lastInboundAt: DateTime.utc().minus({ hours: 30 }),
    })
    const agentReply = await staged(outbox, conversation, 'A person here: it ships today')
    assert.equal(await outbox.send(agentReply.id), 'sent')
    assert.deepEqual(graph.requests[0].body, {
      recipient: { id: customer.instagramId },
      message: { text: 'A person here: it ships today' },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    })

    // The AI never gets the tag: its reply is held to 24 hours
    const aiReply = await staged(outbox, conversation, 'It ships today', 'ai_reply')
    assert.equal(await outbox.send(aiReply.id), 'not_sent')
    await aiReply.refresh()
    assert.equal(aiReply.notSentReason, 'outside_24h_window')

    // Past 7 days not even a person may answer
    await conversation
      .merge({ lastInboundAt: DateTime.utc().minus({ days: 7, minutes: 1 }) })
      .save()
    const late = await staged(outbox, conversation, 'Still there?')
    assert.equal(await outbox.send(late.id), 'not_sent')
    await late.refresh()
    assert.equal(late.notSentReason, 'outside_human_agent_window')
    assert.lengthOf(graph.requests, 1)
  })

  test('nothing is sent to a customer who opted out', async ({ assert }) => {
    const merchant = await createMerchant()
    const { conversation, customer } = await customerConversation(merchant, { token: TOKEN })
    const row = await staged(outbox, conversation)
    customer.optedOutAt = DateTime.utc()
    await customer.save()
    assert.equal(await outbox.send(row.id), 'not_sent')
    await row.refresh()
    assert.equal(row.notSentReason, 'customer_opted_out')
    assert.lengthOf(graph.requests, 0)
  })

  test('a respond job’s replies are unique per inbound message and kind', async ({ assert }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, { token: TOKEN })
    const inbound = await Message.create({
      merchantId: merchant.id,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      direction: 'inbound',
      type: 'text',
      body: 'hi',
      status: 'received',
    })
    const stage = () =>
      db.transaction((trx) =>
        outbox.stage(
          {
            conversation,
            text: 'Hello!',
            kind: 'ai_reply',
            inboundMessageId: inbound.id,
            sentByUserId: null,
          },
          trx
        )
      )
    await stage()
    await assert.rejects(stage)
    assert.lengthOf(await OutboundMessage.query().where('inbound_message_id', inbound.id), 1)
  })
})
