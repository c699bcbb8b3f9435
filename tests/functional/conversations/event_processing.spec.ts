import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { queueNamed, runJob } from '#core/queue'
import WebhookEvent from '#conversations/models/webhook_event'
import Customer from '#conversations/models/customer'
import Conversation from '#conversations/models/conversation'
import Message from '#conversations/models/message'
import customerDirectory from '#conversations/customers/customer_directory'
import eventProcessor from '#conversations/events/event_processor'
import { replayUnroutable } from '#conversations/events/replay'
import { connectChannel } from '#conversations/channels/connect_channel'
import { RESPOND_JOB, respondJobId } from '#conversations/processing/inbound_hook'
import { createMerchant } from '#tests/helpers/actors'
import {
  appUrl,
  connectTestChannels,
  metaFixture,
  metaIds,
  postDelivery,
  type MetaIds,
} from '#tests/helpers/meta_webhooks'
import type Merchant from '#merchants/models/merchant'

/*
 * The worker's half: deliveries are posted to the running app, then each stored event is
 * processed by the `conversations.process_event` job run in this process. Processing commits
 * in its own transactions while the keyring reads and creates subject keys on other
 * connections (as in production), so these tests commit too, each with a new merchant and
 * fresh Meta ids, and count only their own rows.
 */

async function deliver(name: string, ids: MetaIds, extra: Record<string, string> = {}) {
  const response = await postDelivery(appUrl(), metaFixture(name, ids, extra))
  if (response.status !== 200) throw new Error(`${name}: ${response.status}`)
  return (await response.json()) as { received: number; duplicates: number }
}

/**
 * Runs the processing job for every pending event addressed to these ids, as its last attempt
 * (a status whose message is unknown is settled rather than retried).
 */
async function processPending(ids: MetaIds) {
  const events = await WebhookEvent.query()
    .whereIn('channel_external_id', [ids.pnid, ids.pnid2, ids.igId])
    .where('state', 'received')
    .orderBy('id')
  const results = []
  for (const event of events) {
    results.push(await runJob('conversations.process_event', { eventId: event.id }, { attempt: 5 }))
  }
  return results
}

async function messagesOf(merchant: Merchant) {
  return Message.query().where('merchant_id', merchant.id).orderBy('id')
}

async function setup() {
  const merchant = await createMerchant()
  const ids = metaIds()
  const channels = await connectTestChannels(merchant, ids)
  return { merchant, ids, channels }
}

/** An outbound message the outbox sent, as a status would find it. */
async function outboundMessage(
  merchant: Merchant,
  ids: MetaIds,
  status: 'sent' | 'queued' = 'sent'
) {
  await deliver('wa_text', ids)
  await processPending(ids)
  const [inbound] = await messagesOf(merchant)
  return Message.create({
    merchantId: merchant.id,
    conversationId: inbound.conversationId,
    customerId: inbound.customerId,
    direction: 'outbound',
    type: 'text',
    body: 'Your order ships tomorrow',
    metaMessageId: ids.outId,
    status,
    statusAt: DateTime.utc(),
  })
}

test.group('conversations / processing WhatsApp', () => {
  test('a text creates the customer, the conversation and the message, all sealed', async ({
    assert,
  }) => {
    const { merchant, ids, channels } = await setup()
    await deliver('wa_text', ids)
    const [result] = await processPending(ids)
    assert.equal((result as any).outcome, 'processed')

    const customer = await Customer.findByOrFail('merchant_id', merchant.id)
    assert.equal(customer.waId, ids.from)
    assert.equal(customer.phone, `+${ids.from}`)
    assert.equal(customer.displayName, 'Mona Adel')
    assert.match(customer.reference, /^cus_/)

    const conversation = await Conversation.findByOrFail('customer_id', customer.id)
    assert.equal(conversation.channelConnectionId, channels.whatsapp.id)
    assert.equal(conversation.mode, 'ai')
    assert.isNotNull(conversation.lastInboundAt)

    const [message] = await messagesOf(merchant)
    assert.equal(message.direction, 'inbound')
    assert.equal(message.type, 'text')
    assert.equal(message.body, 'عايز اطلب 2 قميص https://shop.example/p/1')
    assert.equal(message.metaMessageId, `${ids.wamid}text`)
    assert.equal(message.status, 'received')

    // At rest: ciphertext under the customer's subject key, no identifier in clear
    const row = await db.from('messages').where('id', message.id).first()
    assert.match(row.body, /^e1\.s1\./)
    const customerRow = await db.from('customers').where('id', customer.id).first()
    for (const column of ['wa_id', 'phone', 'display_name']) {
      assert.match(customerRow[column], /^e1\.s1\./, column)
    }
    const subjectKey = await db
      .from('subject_keys')
      .where('subject_ref', `customer:${customer.id}`)
      .first()
    assert.exists(subjectKey)

    // The event is routed, processed and its payload dropped
    const event = await WebhookEvent.findOrFail(message.webhookEventId!)
    assert.equal(event.state, 'processed')
    assert.equal(event.merchantId, merchant.id)
    assert.isNull(event.payload)
  })

  test('media, replies, order, location, reaction, contacts and referral are parsed', async ({
    assert,
  }) => {
    const { merchant, ids } = await setup()
    for (const name of [
      'wa_media',
      'wa_replies',
      'wa_order',
      'wa_location',
      'wa_reaction',
      'wa_contacts',
      'wa_referral',
    ]) {
      await deliver(name, ids)
    }
    await processPending(ids)
    const stored = await messagesOf(merchant)
    const byId = new Map(stored.map((m) => [m.metaMessageId!.replace(ids.wamid, ''), m]))

    const image = byId.get('image')!
    assert.equal(image.type, 'image')
    assert.equal(image.body, 'this one')
    assert.deepEqual(image.contentValue()!.media, {
      id: '1001',
      mimeType: 'image/jpeg',
      sha256: 'aGFzaA==',
    })
    assert.equal(byId.get('audio')!.contentValue<any>()!.media.voice, true)
    assert.equal(byId.get('document')!.contentValue<any>()!.media.filename, 'invoice.pdf')
    assert.equal(byId.get('video')!.type, 'video')
    assert.equal(byId.get('sticker')!.type, 'sticker')

    const button = byId.get('button_reply')!
    assert.equal(button.type, 'interactive')
    assert.equal(button.body, 'Yes, confirm')
    assert.deepEqual(button.contentValue()!.interactive, {
      type: 'button_reply',
      id: 'yes-1',
      title: 'Yes, confirm',
    })
    assert.equal(byId.get('list_reply')!.contentValue<any>()!.interactive.description, 'Fits 38-40')
    const quick = byId.get('button')!
    assert.equal(quick.body, 'Track my order')
    assert.equal(quick.contentValue<any>()!.button.payload, 'TRACK')
    assert.equal(quick.contentValue<any>()!.context.id, `${ids.wamid}template`)

    const order = byId.get('order')!
    assert.equal(order.body, 'Please deliver Friday')
    assert.deepEqual(order.contentValue<any>()!.order.items, [
      { productRetailerId: 'sku-1', quantity: 2, itemPrice: 350, currency: 'EGP' },
      { productRetailerId: 'sku-2', quantity: 1, itemPrice: 99.5, currency: 'EGP' },
    ])
    const location = byId.get('location')!
    assert.equal(location.body, 'Tahrir Square, Cairo')
    assert.equal(location.contentValue<any>()!.location.latitude, 30.0444)

    const reaction = byId.get('reaction')!
    assert.equal(reaction.type, 'reaction')
    assert.equal(reaction.body, '👍')
    assert.equal(reaction.contentValue<any>()!.reaction.messageId, `${ids.wamid}text`)

    assert.equal(byId.get('contacts')!.body, 'Ahmed Ali')
    const referral = byId.get('referral')!
    assert.equal(referral.body, 'Is this still available?')
    assert.equal(referral.contentValue<any>()!.referral.ctwa_clid, 'clid-1')

    // One customer, one conversation, however many messages
    assert.lengthOf(await Customer.query().where('merchant_id', merchant.id), 1)
    assert.lengthOf(await Conversation.query().where('merchant_id', merchant.id), 1)
  })

  test('a BSUID-only sender is a customer, found again by the BSUID', async ({ assert }) => {
    const { merchant, ids } = await setup()
    await deliver('wa_bsuid', ids)
    await deliver('wa_bsuid', { ...ids, wamid: `${ids.wamid}x` })
    await processPending(ids)
    const customers = await Customer.query().where('merchant_id', merchant.id)
    assert.lengthOf(customers, 1)
    assert.equal(customers[0].bsuid, ids.bsuid)
    assert.isNull(customers[0].waId)
    assert.isNull(customers[0].phone)
    assert.equal(customers[0].displayName, 'Hidden Number')
    assert.lengthOf(await messagesOf(merchant), 2)
  })

  test('a system message moves the customer to the new number', async ({ assert }) => {
    const { merchant, ids } = await setup()
    await deliver('wa_text', ids)
    await deliver('wa_system', ids)
    await processPending(ids)
    const customer = await Customer.findByOrFail('merchant_id', merchant.id)
    assert.equal(customer.waId, ids.newWaId)
    assert.equal(customer.phone, `+${ids.newWaId}`)
    const stored = await messagesOf(merchant)
    const system = stored.find((m) => m.type === 'system')!
    assert.equal(system.contentValue<any>()!.system.type, 'user_changed_number')
    const found = await customerDirectory.find(merchant.id, { waId: ids.newWaId })
    assert.equal(found?.id, customer.id)
  })

  test('unknown message types are stored as unsupported; out-of-band errors are recorded', async ({
    assert,
  }) => {
    const { merchant, ids } = await setup()
    await deliver('wa_unsupported', ids)
    await deliver('wa_errors', ids)
    const results = await processPending(ids)
    assert.isTrue(results.every((r: any) => r.outcome === 'processed'))
    const messages = await messagesOf(merchant)
    assert.deepEqual(
      messages.map((m) => [m.type, m.contentValue<any>()!.metaType]),
      [
        ['unsupported', 'unknown'],
        ['unsupported', 'hologram'],
      ]
    )
    assert.equal(messages[0].contentValue<any>()!.errorCode, '131051')
    const error = await WebhookEvent.query()
      .where('channel_external_id', ids.pnid)
      .where('kind', 'error')
      .firstOrFail()
    assert.equal(error.state, 'processed')
    assert.equal(error.errorCode, '131000')
  })

  test('statuses only move forward: sent < delivered < read, and failed is final', async ({
    assert,
  }) => {
    const { merchant, ids } = await setup()
    const message = await outboundMessage(merchant, ids)
    const apply = async (status: string) => {
      await deliver('wa_status', ids, { __STATUS__: status })
      await processPending(ids)
      await message.refresh()
      return message.status
    }
    assert.equal(await apply('delivered'), 'delivered')
    assert.equal(await apply('read'), 'read')
    // Late, out-of-order statuses change nothing
    assert.equal(await apply('sent'), 'read')
    assert.equal(await apply('delivered'), 'read')
    const stale = await WebhookEvent.query()
      .where('dedupe_key', `wa:status:${ids.outId}:delivered`)
      .firstOrFail()
    assert.equal(stale.state, 'processed')

    // A failure is final, with Meta's code
    const other = metaIds()
    const { merchant: second } = await (async () => {
      const m = await createMerchant()
      await connectTestChannels(m, other)
      return { merchant: m }
    })()
    const failing = await outboundMessage(second, other)
    await deliver('wa_status', other, { __STATUS__: 'sent' })
    await deliver('wa_status_failed', other)
    await processPending(other)
    await failing.refresh()
    assert.equal(failing.status, 'failed')
    assert.equal(failing.errorCode, '131047')
    await deliver('wa_status', other, { __STATUS__: 'delivered' })
    await deliver('wa_status', other, { __STATUS__: 'read' })
    await processPending(other)
    await failing.refresh()
    assert.equal(failing.status, 'failed')
  })

  test('a status for a message not stored yet is retried, then settled on the last attempt', async ({
    assert,
  }) => {
    const { ids } = await setup()
    await deliver('wa_status', ids, { __STATUS__: 'delivered' })
    const event = await WebhookEvent.query().where('channel_external_id', ids.pnid).firstOrFail()
    await assert.rejects(
      () => runJob('conversations.process_event', { eventId: event.id }, { attempt: 1 }),
      /not stored/
    )
    await event.refresh()
    assert.equal(event.state, 'received')
    assert.equal(event.attempts, 1)
    assert.equal(event.errorCode, 'message_not_found')
    const result = await runJob(
      'conversations.process_event',
      { eventId: event.id },
      { attempt: 5 }
    )
    assert.equal((result as any).outcome, 'ignored')
    await event.refresh()
    assert.equal(event.state, 'processed')
    assert.equal(event.errorCode, 'message_not_found')
  })

  test('processing an event twice stores one message', async ({ assert }) => {
    const { merchant, ids } = await setup()
    await deliver('wa_text', ids)
    const event = await WebhookEvent.query().where('channel_external_id', ids.pnid).firstOrFail()
    const first = await runJob('conversations.process_event', { eventId: event.id })
    const second = await runJob('conversations.process_event', { eventId: event.id })
    assert.equal((first as any).outcome, 'processed')
    assert.equal((second as any).outcome, 'already_processed')
    assert.equal((second as any).messageId, (first as any).messageId)
    assert.lengthOf(await messagesOf(merchant), 1)
  })
})

test.group('conversations / processing Instagram', () => {
  test('messages, attachments, postbacks, the test-button shape and unsupported items', async ({
    assert,
  }) => {
    const { merchant, ids } = await setup()
    await deliver('ig_messages', ids)
    await deliver('ig_postback', ids)
    await deliver('ig_changes_test', ids)
    await processPending(ids)
    const stored = await messagesOf(merchant)
    const byId = new Map(stored.map((m) => [m.metaMessageId!.replace(ids.mid, ''), m]))
    assert.deepEqual(
      [...byId.keys()],
      ['text', 'image', 'reel', 'odd', 'postback', 'test', 'cpostback']
    )
    assert.equal(byId.get('text')!.body, 'السلام عليكم, how much is the bag?')
    assert.equal(byId.get('image')!.type, 'image')
    assert.include(
      byId.get('image')!.contentValue<any>()!.attachments[0].url,
      'lookaside.fbsbx.com'
    )
    assert.equal(byId.get('reel')!.type, 'share')
    assert.equal(byId.get('odd')!.type, 'unsupported')
    assert.equal(byId.get('postback')!.type, 'postback')
    assert.equal(byId.get('postback')!.body, 'Track order')
    assert.equal(byId.get('postback')!.contentValue<any>()!.postback.payload, 'TRACK_ORDER')
    assert.equal(byId.get('test')!.body, 'This is a test message from the dashboard')
    assert.equal(byId.get('cpostback')!.contentValue<any>()!.postback.payload, 'GET_STARTED')

    const customer = await Customer.findByOrFail('merchant_id', merchant.id)
    assert.equal(customer.instagramId, ids.igsid)
    assert.isNull(customer.waId)
  })

  test('an echo is stored as outbound; reactions, reads and deletions apply to their messages', async ({
    assert,
  }) => {
    const { merchant, ids, channels } = await setup()
    await deliver('ig_messages', ids)
    await deliver('ig_echo', ids)
    await processPending(ids)
    const stored = await messagesOf(merchant)
    const echo = stored.find((m) => m.metaMessageId === `${ids.mid}echo`)!
    assert.equal(echo.direction, 'outbound')
    assert.equal(echo.status, 'sent')
    assert.equal(echo.body, 'Thanks, we ship tomorrow')
    const conversation = await Conversation.findOrFail(echo.conversationId)
    assert.equal(conversation.channelConnectionId, channels.instagram.id)
    assert.lengthOf(await Customer.query().where('merchant_id', merchant.id), 1)

    await Message.create({
      merchantId: merchant.id,
      conversationId: echo.conversationId,
      customerId: echo.customerId,
      direction: 'outbound',
      type: 'text',
      body: 'Here is the price list',
      metaMessageId: ids.outId,
      status: 'sent',
    })
    await deliver('ig_read', ids)
    await deliver('ig_reaction', ids)
    await deliver('ig_deleted', ids)
    await processPending(ids)
    const read = await Message.findByOrFail('meta_message_id', ids.outId)
    assert.equal(read.status, 'read')
    const all = await messagesOf(merchant)
    const reaction = all.find((m) => m.type === 'reaction')!
    assert.equal(reaction.direction, 'inbound')
    assert.equal(reaction.body, '❤️')
    assert.equal(reaction.contentValue<any>()!.reaction.messageId, ids.outId)
    const deleted = await Message.findByOrFail('meta_message_id', `${ids.mid}text`)
    assert.isNull(deleted.body)
    assert.deepEqual(deleted.contentValue(), { deleted: true })
  })

  test('standby items are stored and flagged, never answered', async ({ assert }) => {
    const { merchant, ids } = await setup()
    await deliver('ig_standby', ids)
    const [result] = await processPending(ids)
    assert.isFalse((result as any).handedOver ?? false)
    const [message] = await messagesOf(merchant)
    assert.equal(message.contentValue<any>()!.standby, true)
  })
})

test.group('conversations / hand-over, routing and tenants', () => {
  test('inbound customer messages are handed to the reply step by id; echoes and reactions are not', async ({
    assert,
  }) => {
    const { merchant, ids } = await setup()
    await deliver('wa_text', ids)
    await deliver('wa_reaction', ids)
    await deliver('ig_echo', ids)
    const results = (await processPending(ids)) as any[]
    assert.deepEqual(
      results.map((r) => r.handedOver ?? false),
      [true, false, false]
    )
    const [text] = await messagesOf(merchant)
    const job = await queueNamed('conversations').getJob(
      respondJobId({ id: text.id, createdAt: text.createdAt.toMillis() })
    )
    assert.exists(job)
    assert.equal(job!.name, RESPOND_JOB)
    assert.deepEqual(job!.data, { messageId: text.id })
    await job!.remove()
  })

  test('events for an unknown number are kept unroutable, then replayed once it is connected', async ({
    assert,
  }) => {
    const { merchant, ids } = await setup()
    await deliver('wa_batch', ids)
    await processPending(ids)
    const unroutable = await WebhookEvent.query().where('channel_external_id', ids.pnid2)
    assert.lengthOf(unroutable, 1)
    assert.equal(unroutable[0].state, 'unroutable')
    assert.isNull(unroutable[0].merchantId)
    assert.match(unroutable[0].payload!, /fourth, to another number/)
    const sealed = await db.from('webhook_events').where('id', unroutable[0].id).first()
    assert.match(sealed.payload, /^e1\.m/)

    // Another merchant connects that number; the replay routes the event there
    const other = await createMerchant()
    await connectChannel(other, { channel: 'whatsapp', externalId: ids.pnid2 }, { type: 'system' })
    const replay = await replayUnroutable([unroutable[0].id])
    assert.deepEqual(replay, { replayed: 1, ids: [unroutable[0].id] })
    const result = await runJob('conversations.process_event', { eventId: unroutable[0].id })
    assert.equal((result as any).outcome, 'processed')
    const [routed] = await messagesOf(other)
    assert.equal(routed.body, 'fourth, to another number')

    // Same wa_id at two merchants: two customers, and neither merchant's index finds the other's
    const mine = await customerDirectory.find(merchant.id, { waId: ids.from })
    const theirs = await customerDirectory.find(other.id, { waId: ids.from })
    assert.exists(mine)
    assert.exists(theirs)
    assert.notEqual(mine!.id, theirs!.id)
    const rows = await db.from('customers').whereIn('id', [mine!.id, theirs!.id]).orderBy('id')
    assert.notEqual(rows[0].wa_id_bidx, rows[1].wa_id_bidx)
    assert.isNull(await customerDirectory.find(other.id, { waId: ids.from2 }))
    assert.isNull(
      await Customer.query()
        .where('merchant_id', other.id)
        .where('wa_id_bidx', rows[0].wa_id_bidx)
        .first()
    )
  })

  test('replaying leaves other states alone and audits the replay', async ({ assert }) => {
    const { ids } = await setup()
    await deliver('wa_text', ids)
    await processPending(ids)
    const processed = await WebhookEvent.query()
      .where('channel_external_id', ids.pnid)
      .firstOrFail()
    const result = await replayUnroutable([processed.id])
    assert.deepEqual(result, { replayed: 0, ids: [] })
    const audit = await db
      .from('audit_events')
      .where('action', 'conversations.events_replayed')
      .orderBy('id', 'desc')
      .first()
    assert.equal(audit.meta.count, 0)
  })

  test('channels:connect refuses an id connected to another merchant and audits connections', async ({
    assert,
  }) => {
    const { ids } = await setup()
    const other = await createMerchant()
    await assert.rejects(
      () => connectChannel(other, { channel: 'whatsapp', externalId: ids.pnid }),
      /another merchant/
    )
    const audit = await db
      .from('audit_events')
      .where('action', 'conversations.channel_connected')
      .orderBy('id', 'desc')
      .first()
    assert.equal(audit.meta.externalId, ids.igId)
    assert.equal(audit.meta.token, 'none')
  })
})

test.group('conversations / concurrent processing', () => {
  test('two workers on the same event, and on two events of one new customer, store each once', async ({
    assert,
  }) => {
    const { merchant, ids } = await setup()
    await deliver('wa_batch', ids)
    const events = await WebhookEvent.query()
      .where('channel_external_id', ids.pnid)
      .where('kind', 'message')
      .orderBy('id')
    // Every event twice, all at once: row locks, unique indexes and the retry settle it
    await Promise.all([...events, ...events].map((event) => eventProcessor.process(event.id)))
    const messages = await messagesOf(merchant)
    assert.lengthOf(messages, 3)
    assert.lengthOf(await Customer.query().where('merchant_id', merchant.id), 2)
    assert.lengthOf(await Conversation.query().where('merchant_id', merchant.id), 2)
  }).timeout(60_000)
})
