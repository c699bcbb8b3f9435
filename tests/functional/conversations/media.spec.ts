import { test } from '@japa/runner'
import { readFile, stat } from 'node:fs/promises'
import { queueNamed, runJob } from '#core/queue'
import { eraseSubject } from '#dsr/execution/erasure'
import { locate } from '#dsr/execution/locator'
import { storagePath } from '#core/storage'
import { connectChannel } from '#conversations/channels/connect_channel'
import { GraphClient } from '#conversations/graph/graph_client'
import {
  FETCH_MEDIA_JOB,
  MediaStore,
  mediaJobId,
  removeMessageMedia,
} from '#conversations/media/media_store'
import type Conversation from '#conversations/models/conversation'
import Message from '#conversations/models/message'
import WebhookEvent from '#conversations/models/webhook_event'
import type Merchant from '#merchants/models/merchant'
import { createMerchant } from '#tests/helpers/actors'
import { customerConversation } from '#tests/helpers/conversation_fixtures'
import { FakeGraph } from '#tests/helpers/fake_graph'
import {
  appUrl,
  metaFixture,
  metaIds,
  postDelivery,
  type MetaIds,
} from '#tests/helpers/meta_webhooks'

/*
 * Inbound WhatsApp media: with the channel's token the file is fetched from the Graph API (a
 * local server speaking its media shapes), checked, sealed under the customer's key and recorded
 * on the message; without one only the metadata is kept. Processing commits (as in the event
 * processing tests), so each test has its own merchant and Meta ids.
 */

const TOKEN = 'EAAG-media-token'
const PHOTO = Buffer.from('\xff\xd8\xff\xe0 a receipt photo: order 4471, 350 EGP', 'latin1')

async function deliverMedia(merchant: Merchant, ids: MetaIds, token: string | null) {
  await connectChannel(
    merchant,
    { channel: 'whatsapp', externalId: ids.pnid, accessToken: token },
    { type: 'system' }
  )
  const response = await postDelivery(appUrl(), metaFixture('wa_media', ids))
  if (response.status !== 200) throw new Error(`wa_media: ${response.status}`)
  const events = await WebhookEvent.query().where('channel_external_id', ids.pnid).orderBy('id')
  for (const event of events) {
    await runJob('conversations.process_event', { eventId: event.id }, { attempt: 5 })
  }
  return Message.query().where('merchant_id', merchant.id).orderBy('id')
}

let sequence = 0

/** An inbound WhatsApp media message as the webhook stores it: Meta's metadata in `content`. */
function mediaMessage(conversation: Conversation, type: Message['type'], media: object) {
  sequence += 1
  return Message.create({
    merchantId: conversation.merchantId,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    direction: 'inbound',
    type,
    content: JSON.stringify({ media }),
    metaMessageId: `wamid.media${Date.now()}${sequence}`,
    status: 'received',
  })
}

async function mediaJobsOf(messages: Message[]) {
  const queue = queueNamed('conversations')
  const jobs = []
  for (const message of messages) {
    const job = await queue.getJob(
      mediaJobId({ id: message.id, createdAt: message.createdAt.toMillis() })
    )
    if (job) jobs.push(job)
  }
  return jobs
}

test.group('conversations / inbound media', (group) => {
  let graph: FakeGraph
  let store: MediaStore
  group.each.setup(async () => {
    graph = await new FakeGraph().start()
    graph.tokens.add(TOKEN)
    store = new MediaStore(
      async () => new GraphClient({ baseUrl: graph.baseUrl, version: 'v21.0' })
    )
    return () => graph.stop()
  })

  test('with a token the file is fetched with the bearer token, sealed on disk and read back', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, { token: TOKEN })
    const sha256 = graph.addMedia('775501', PHOTO)
    const message = await mediaMessage(conversation, 'image', {
      id: '775501',
      mimeType: 'image/jpeg',
      sha256,
    })

    assert.equal(await store.fetch(message.id), 'stored')
    assert.deepEqual(
      graph.requests.map((r) => [r.method, r.path.split('?')[0], r.authorization]),
      [
        ['GET', '/v21.0/775501', `Bearer ${TOKEN}`],
        ['GET', '/media-files/775501', `Bearer ${TOKEN}`],
      ]
    )

    await message.refresh()
    const stored = message.contentValue<any>().media.stored
    assert.deepEqual(stored, {
      path: `conversations/media/${merchant.id}/${message.id}.sealed`,
      bytes: PHOTO.length,
      sha256,
    })
    const onDisk = await readFile(storagePath(stored.path))
    assert.notInclude(onDisk.toString('latin1'), 'receipt photo')
    assert.notInclude(onDisk.toString('utf8'), PHOTO.toString('base64'))
    const info = await stat(storagePath(stored.path))
    assert.equal((info.mode & 0o777).toString(8), '600')
    assert.deepEqual(await store.read(message), PHOTO)

    // A retry does nothing more
    assert.equal(await store.fetch(message.id), 'already_stored')
    assert.lengthOf(graph.requests, 2)

    // Erasing the message row takes its file with it
    await removeMessageMedia([{ id: message.id, merchant_id: merchant.id }])
    await assert.rejects(() => stat(storagePath(stored.path)))
  })

  test('a file whose digest is not the one Meta gave, or over the cap, is refused', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, { token: TOKEN })
    graph.addMedia('775502', PHOTO)
    const message = await mediaMessage(conversation, 'document', {
      id: '775502',
      sha256: 'aGFzaA==',
    })
    assert.equal(await store.fetch(message.id), 'sha_mismatch')
    await message.refresh()
    assert.equal(message.contentValue<any>().media.refused, 'sha_mismatch')
    assert.notExists(message.contentValue<any>().media.stored)
    await assert.rejects(() =>
      stat(storagePath(`conversations/media/${merchant.id}/${message.id}.sealed`))
    )
    assert.isNull(await store.read(message))

    const big = Buffer.alloc(16 * 1024 * 1024 + 1, 1)
    const bigSha = graph.addMedia('775503', big, 'video/mp4')
    const video = await mediaMessage(conversation, 'video', { id: '775503', sha256: bigSha })
    assert.equal(await store.fetch(video.id), 'too_large')
    // Refused on Meta's announced size: the file itself is never downloaded
    assert.notInclude(
      graph.requests.map((r) => r.path.split('?')[0]),
      '/media-files/775503'
    )
  })

  test('erasing the customer deletes the message and its stored file', async ({ assert }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, { token: TOKEN })
    const sha256 = graph.addMedia('775505', PHOTO)
    const message = await mediaMessage(conversation, 'image', { id: '775505', sha256 })
    assert.equal(await store.fetch(message.id), 'stored')
    const file = storagePath(`conversations/media/${merchant.id}/${message.id}.sealed`)
    await stat(file)

    const located = await locate(merchant.id, {}, { customers: [conversation.customerId] })
    assert.include(
      located.tables.map((t) => t.table),
      'messages'
    )
    await eraseSubject(merchant.id, located, { actor: { type: 'system' } })
    assert.isNull(await Message.find(message.id))
    await assert.rejects(() => stat(file))
  })

  test('a wrong token gets Meta’s OAuth error and stores nothing', async ({ assert }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, { token: 'EAAG-revoked' })
    const sha256 = graph.addMedia('775504', PHOTO)
    const message = await mediaMessage(conversation, 'image', { id: '775504', sha256 })
    await assert.rejects(() => store.fetch(message.id), /190/)
    await message.refresh()
    assert.notExists(message.contentValue<any>().media.stored)
  })

  test('an inbound media webhook on a channel with a token enqueues the fetch by message id', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const messages = await deliverMedia(merchant, metaIds(), TOKEN)
    assert.deepEqual(
      messages.map((m) => m.type),
      ['image', 'video', 'audio', 'document', 'sticker']
    )
    const jobs = await mediaJobsOf(messages)
    assert.lengthOf(jobs, 5)
    for (const [index, job] of jobs.entries()) {
      assert.equal(job.name, FETCH_MEDIA_JOB)
      assert.deepEqual(job.data, { messageId: messages[index].id })
      await job.remove()
    }
    // The fixture's digest is not the file's: the fetch refuses it
    graph.addMedia('1001', PHOTO)
    assert.equal(await store.fetch(messages[0].id), 'sha_mismatch')
  })

  test('without a token nothing is enqueued or fetched: metadata only', async ({ assert }) => {
    const merchant = await createMerchant()
    const messages = await deliverMedia(merchant, metaIds(), null)
    assert.lengthOf(messages, 5)
    assert.lengthOf(await mediaJobsOf(messages), 0)
    assert.deepEqual(messages[0].contentValue<any>().media, {
      id: '1001',
      mimeType: 'image/jpeg',
      sha256: 'aGFzaA==',
    })
    graph.addMedia('1001', PHOTO)
    assert.equal(await store.fetch(messages[0].id), 'no_token')
    assert.lengthOf(graph.requests, 0)
  })
})
