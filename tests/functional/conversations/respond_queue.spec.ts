import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { Job } from 'bullmq'
import { createWorker, dispatch, queueEvents, queueNamed, runJob } from '#core/queue'
import type { JobName } from '#start/jobs'
import Message from '#conversations/models/message'
import { Responder } from '#conversations/processing/responder'
import OutboundMessage from '#conversations/outbox/outbound_message'
import { createMerchant } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'
import {
  customerConversation,
  inboundMessage,
  shopInstructions,
} from '#tests/helpers/conversation_fixtures'

/*
 * Through a real BullMQ worker in this process: its jobs run on this process's connection, so
 * they see the test's transaction (nothing is committed: the data map seed would otherwise stay
 * behind for later tests).
 */
test.group('conversations / respond through a real worker, and concurrently', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a respond job carrying only an id classifies, stages the reply and its send job holds it', async ({
    assert,
    cleanup,
  }) => {
    await seedDataMap()
    // Jobs other specs left on this queue would run inside this test's transaction
    await queueNamed('conversations').obliterate({ force: true })
    const worker = createWorker('conversations', (job: Job) =>
      runJob(job.name as JobName, job.data, { jobId: job.id!, attempt: job.attemptsMade + 1 })
    )
    const events = queueEvents('conversations')
    cleanup(async () => {
      await worker.close()
      await events.close()
    })
    await events.waitUntilReady()

    const merchant = await createMerchant()
    await shopInstructions(merchant)
    const { conversation } = await customerConversation(merchant, { token: null })
    const message = await inboundMessage(conversation, 'How much is the cotton t-shirt?')

    const job = await dispatch('conversations.respond', { messageId: message.id })
    assert.deepEqual(job.data, { messageId: message.id })
    const result = await job.waitUntilFinished(events, 20_000)
    assert.deepEqual(result, { outcome: 'reply', outbound: 1 })

    const row = await OutboundMessage.query().where('inbound_message_id', message.id).firstOrFail()
    // The send job ran on the same worker: no token, so the reply is held, not lost
    for (let i = 0; i < 50 && row.state !== 'held'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      await row.refresh()
    }
    assert.equal(row.state, 'held')
    assert.equal(row.notSentReason, 'channel_not_connected')
    await message.refresh()
    assert.equal(message.intent, 'price_inquiry')

    // Delivered again (Meta retried, a worker died): nothing new is staged
    const again = await dispatch('conversations.respond', { messageId: message.id })
    assert.deepEqual(await again.waitUntilFinished(events, 20_000), {
      outcome: 'already_processed',
      outbound: 0,
    })
    const rows = await OutboundMessage.query().where('conversation_id', conversation.id)
    assert.lengthOf(rows, 1)
    assert.lengthOf(
      await Message.query().where({ conversationId: conversation.id, direction: 'outbound' }),
      1
    )
  }).timeout(60_000)

  test('two concurrent runs for one message queue one reply', async ({ assert }) => {
    await seedDataMap()
    const merchant = await createMerchant()
    await shopInstructions(merchant)
    const { conversation } = await customerConversation(merchant, { token: null })
    const message = await inboundMessage(conversation, 'How much is the cotton t-shirt?')
    const responder = new Responder()
    const outcomes = await Promise.all([
      responder.respond(message.id),
      responder.respond(message.id),
    ])
    assert.sameMembers(
      outcomes.map(({ outcome }) => outcome),
      ['reply', 'already_processed']
    )
    const rows = await OutboundMessage.query().where('inbound_message_id', message.id)
    assert.lengthOf(rows, 1)
  }).timeout(30_000)
})
