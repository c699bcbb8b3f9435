import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import AuditEvent from '#audit/models/audit_event'
import auditAggregates from '#audit/services/audit_aggregates'
import WebhookEvent from '#conversations/models/webhook_event'
import { splitDelivery } from '#conversations/webhooks/envelope'
import { queueNamed, runJob } from '#core/queue'
import {
  FAN_OUT_JOB,
  PROCESS_EVENT_JOB,
  processJobId,
  type QueuedEvent,
} from '#conversations/events/event_queue'
import {
  appUrl,
  fanOutJobWith,
  metaFixture,
  metaIds,
  metaSignature,
  postDelivery,
} from '#tests/helpers/meta_webhooks'
import { until } from '#tests/helpers/until'

/*
 * The webhook against the running app (real HTTP, Postgres and Redis). The stored rows must be
 * seen by other connections (concurrent deliveries), so these tests commit, with fresh Meta ids
 * per test, and count only their own rows.
 */

function eventsFor(externalId: string) {
  return WebhookEvent.query().where('channel_external_id', externalId).orderBy('id')
}

function verifyUrl(params: Record<string, string>) {
  return `${appUrl()}/webhooks/meta?${new URLSearchParams(params)}`
}

test.group('conversations / webhook verification', () => {
  test('answers the challenge when the mode is subscribe and the token matches', async ({
    assert,
  }) => {
    const response = await fetch(
      verifyUrl({
        'hub.mode': 'subscribe',
        'hub.verify_token': env.get('META_VERIFY_TOKEN')!,
        'hub.challenge': '1158201444',
      })
    )
    assert.equal(response.status, 200)
    assert.equal(await response.text(), '1158201444')
    assert.isNull(response.headers.get('set-cookie'))
  })

  test('answers 403 for a wrong token, a wrong mode or no challenge', async ({ assert }) => {
    const token = env.get('META_VERIFY_TOKEN')!
    const cases: Array<Record<string, string>> = [
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' },
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': token, 'hub.challenge': '1' },
      { 'hub.mode': 'subscribe', 'hub.verify_token': token },
      {},
    ]
    for (const params of cases) {
      const response = await fetch(verifyUrl(params))
      assert.equal(response.status, 403, JSON.stringify(params))
      assert.notInclude(await response.text(), '1"')
    }
  })
})

test.group('conversations / webhook signature', (group) => {
  let restoreClock: () => void
  group.each.setup(() => {
    // One aggregation window for the whole test, so "first in window" is deterministic
    const now = auditAggregates.now
    const fixed =
      Math.floor(Date.now() / 60_000) * 60_000 + 1000 + Math.floor(Math.random() * 1e9) * 60_000
    auditAggregates.now = () => fixed
    restoreClock = () => (auditAggregates.now = now)
    return () => restoreClock()
  })

  test('a missing signature is 401, a wrong one 403; nothing is stored; one audit event per window', async ({
    assert,
  }) => {
    const ids = metaIds()
    const body = metaFixture('wa_text', ids)
    const last = await AuditEvent.query().orderBy('id', 'desc').first()
    const before = last?.id ?? 0
    const missing = await postDelivery(appUrl(), body, { signature: null })
    assert.equal(missing.status, 401)
    assert.equal(((await missing.json()) as any).error.code, 'signature_missing')
    for (let i = 0; i < 4; i++) {
      const wrong = await postDelivery(appUrl(), body, { secret: 'not-the-app-secret' })
      assert.equal(wrong.status, 403)
      assert.equal(((await wrong.json()) as any).error.code, 'signature_invalid')
    }
    const malformed = await postDelivery(appUrl(), body, { signature: 'sha1=abc' })
    assert.equal(malformed.status, 403)
    assert.isNull(malformed.headers.get('set-cookie'))

    assert.lengthOf(await eventsFor(ids.pnid), 0)
    // The first refusal of each kind in the window is in the chain; repeats are only counted
    // (the notes are written after the answer, so wait for them)
    const refusals = () =>
      AuditEvent.query()
        .where('action', 'conversations.webhook_refused')
        .where('id', '>', before)
        .orderBy('id')
    let refused = await refusals()
    for (let i = 0; i < 40 && refused.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      refused = await refusals()
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
    refused = await refusals()
    assert.lengthOf(refused, 2)
    const reasons = refused.map((event) => event.meta?.reason).sort()
    assert.deepEqual(reasons, ['signature_invalid', 'signature_missing'])
    assert.notInclude(JSON.stringify(refused.map((e) => e.meta)), ids.from)
  })

  test('the signature covers the raw bytes: the same JSON re-serialised does not pass', async ({
    assert,
  }) => {
    const ids = metaIds()
    const body = metaFixture('wa_text', ids)
    assert.include(body, '\\u0639', 'the fixture keeps Meta escapes')
    const reserialised = JSON.stringify(JSON.parse(body))
    const refused = await postDelivery(appUrl(), reserialised, { signature: metaSignature(body) })
    assert.equal(refused.status, 403)
    assert.lengthOf(await eventsFor(ids.pnid), 0)

    const accepted = await postDelivery(appUrl(), body)
    assert.equal(accepted.status, 200)
    assert.lengthOf(await eventsFor(ids.pnid), 1)
  })

  test('Instagram deliveries take the Instagram app secret; WhatsApp ones do not', async ({
    assert,
  }) => {
    const ids = metaIds()
    const instagramSecret = env.get('INSTAGRAM_APP_SECRET')!
    assert.notEqual(instagramSecret, env.get('META_APP_SECRET'))
    const ig = metaFixture('ig_postback', ids)
    const igAnswer = await postDelivery(appUrl(), ig, { secret: instagramSecret })
    assert.equal(igAnswer.status, 200)
    const wa = metaFixture('wa_text', ids)
    const waAnswer = await postDelivery(appUrl(), wa, { secret: instagramSecret })
    assert.equal(waAnswer.status, 403)
    assert.lengthOf(await eventsFor(ids.igId), 1)
    assert.lengthOf(await eventsFor(ids.pnid), 0)
  })

  test('a body over 1 MiB is refused with 413, declared or streamed, and stores nothing', async ({
    assert,
  }) => {
    const ids = metaIds()
    const padding = 'x'.repeat(1024 * 1024)
    const body = metaFixture('wa_text', ids).replace(
      '"messaging_product"',
      `"pad": "${padding}", "messaging_product"`
    )
    const declared = await postDelivery(appUrl(), body)
    assert.equal(declared.status, 413)
    assert.equal(((await declared.json()) as any).error.code, 'payload_too_large')

    // Chunked, with no length to refuse it by: cut off once past the limit
    const bytes = new TextEncoder().encode(body)
    const streamed = await fetch(`${appUrl()}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body) },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024) {
            controller.enqueue(bytes.subarray(at, at + 64 * 1024))
          }
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    assert.equal(streamed.status, 413)
    assert.lengthOf(await eventsFor(ids.pnid), 0)
  })

  test('answers in the API error shape with a request id, without a session, to GET and POST only', async ({
    assert,
  }) => {
    const notJson = await fetch(`${appUrl()}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature('{') },
      body: '{',
    })
    assert.equal(notJson.status, 400)
    assert.deepEqual(await notJson.json(), {
      error: { code: 'bad_request', message: 'The request body is not valid JSON.', details: [] },
    })
    assert.match(notJson.headers.get('x-request-id') ?? '', /^[\w-]{36}$/)
    assert.isNull(notJson.headers.get('set-cookie'))

    const badSignature = await postDelivery(appUrl(), metaFixture('wa_text', metaIds()), {
      signature: 'sha256=00',
    })
    assert.equal(badSignature.status, 403)
    assert.equal(((await badSignature.json()) as any).error.code, 'signature_invalid')

    const put = await fetch(`${appUrl()}/webhooks/meta`, { method: 'PUT', body: '{}' })
    assert.equal(put.status, 405)
    assert.equal(put.headers.get('allow'), 'GET, HEAD, POST')
    assert.equal(((await put.json()) as any).error.code, 'method_not_allowed')
  })
})

test.group('conversations / webhook storage', () => {
  test('every item of a batched delivery is stored once, sealed under the platform key', async ({
    assert,
  }) => {
    const ids = metaIds()
    const body = metaFixture('wa_batch', ids)
    const response = await postDelivery(appUrl(), body)
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { received: 5, duplicates: 0 })

    const events = await eventsFor(ids.pnid)
    assert.deepEqual(
      events.map((e) => [e.kind, e.dedupeKey]),
      [
        ['message', `wa:msg:${ids.wamid}b1`],
        ['message', `wa:msg:${ids.wamid}b2`],
        ['message', `wa:msg:${ids.wamid}b3`],
        ['status', `wa:status:${ids.outId}:delivered`],
      ]
    )
    assert.lengthOf(await eventsFor(ids.pnid2), 1)
    for (const event of events) {
      assert.equal(event.state, 'received')
      assert.isNull(event.merchantId)
      assert.equal(event.object, 'whatsapp_business_account')
    }
    // In SQL the payload is ciphertext; through the model it opens to the item
    const stored = await db.from('webhook_events').where('channel_external_id', ids.pnid)
    for (const row of stored) {
      assert.match(row.payload, /^e1\.m\d+\./)
      assert.notInclude(row.payload, ids.from)
    }
    const first = JSON.parse(events[0].payload!)
    assert.equal(first.item.text.body, 'first')
    assert.equal(first.contact.profile.name, 'First Sender')
    assert.equal(first.metadata.phone_number_id, ids.pnid)
  })

  test('the stored events are queued by id only: one fan-out job, then one job per event, once', async ({
    assert,
  }) => {
    const ids = metaIds()
    const response = await postDelivery(appUrl(), metaFixture('wa_batch', ids))
    assert.equal(response.status, 200)
    const events = await eventsFor(ids.pnid)
    const fanOut = await until(() => fanOutJobWith(events[0].id), 5000)
    const queued = (fanOut.data.events as QueuedEvent[]).filter((e) =>
      events.some((event) => event.id === e.id)
    )
    assert.deepEqual(
      queued.map((e) => Object.keys(e).sort()),
      events.map(() => ['id', 'receivedAt'])
    )
    assert.deepEqual(
      queued.map((e) => e.receivedAt),
      events.map((event) => event.receivedAt.toMillis())
    )
    assert.notInclude(JSON.stringify(fanOut.data), ids.from)
    await fanOut.remove()

    // The worker's side, run twice (a retried fan-out): each event is queued once
    await runJob(FAN_OUT_JOB, { events: queued })
    await runJob(FAN_OUT_JOB, { events: queued })
    const queue = queueNamed('conversations')
    const waiting = await queue.getJobs(['waiting', 'delayed', 'prioritized'])
    const mine = waiting.filter((job) => events.some((event) => job.data?.eventId === event.id))
    assert.sameMembers(
      mine.map((job) => job.id),
      queued.map((event) => processJobId(event))
    )
    for (const job of mine) {
      assert.equal(job.name, PROCESS_EVENT_JOB)
      assert.deepEqual(Object.keys(job.data), ['eventId'])
    }
    await Promise.all(mine.map((job) => job.remove()))
  })

  test('a redelivery is acknowledged and ignored', async ({ assert }) => {
    const ids = metaIds()
    const body = metaFixture('wa_media', ids)
    const first = await postDelivery(appUrl(), body)
    assert.deepEqual(await first.json(), { received: 5, duplicates: 0 })
    const again = await postDelivery(appUrl(), body)
    assert.equal(again.status, 200)
    assert.deepEqual(await again.json(), { received: 0, duplicates: 5 })
    assert.lengthOf(await eventsFor(ids.pnid), 5)
  })

  test('concurrent deliveries of the same items store each item once', async ({ assert }) => {
    const ids = metaIds()
    const bodies = [metaFixture('wa_batch', ids), metaFixture('wa_batch', ids)]
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => postDelivery(appUrl(), bodies[i % 2]))
    )
    const answers = (await Promise.all(responses.map((r) => r.json()))) as any[]
    assert.isTrue(responses.every((r) => r.status === 200))
    assert.equal(
      answers.reduce((sum, a) => sum + a.received, 0),
      5,
      'exactly one delivery stored each item'
    )
    assert.lengthOf(await eventsFor(ids.pnid), 4)
    assert.lengthOf(await eventsFor(ids.pnid2), 1)
  })

  test('deliveries written together are each answered for their own items', async ({ assert }) => {
    const deliveries = Array.from({ length: 12 }, () => metaIds())
    const responses = await Promise.all(
      deliveries.map((ids) => postDelivery(appUrl(), metaFixture('wa_text', ids)))
    )
    for (const [index, response] of responses.entries()) {
      assert.equal(response.status, 200)
      assert.deepEqual(await response.json(), { received: 1, duplicates: 0 })
      assert.lengthOf(await eventsFor(deliveries[index].pnid), 1)
    }
  })

  test('a routing id longer than any Meta id is stored unroutable, not refused', async ({
    assert,
  }) => {
    const ids = metaIds()
    const body = metaFixture('wa_text', ids).replace(ids.pnid, '9'.repeat(80))
    const response = await postDelivery(appUrl(), body)
    assert.equal(response.status, 200)
    const [event] = await WebhookEvent.query().where('dedupe_key', `wa:msg:${ids.wamid}text`)
    assert.isNull(event.channelExternalId)
    assert.equal(event.state, 'received')
  })

  test('a delivery of more items than one statement takes is stored whole', async ({ assert }) => {
    const ids = metaIds()
    const delivery = JSON.parse(metaFixture('wa_text', ids))
    const value = delivery.entry[0].changes[0].value
    value.messages = Array.from({ length: 2500 }, (_, i) => ({
      ...value.messages[0],
      id: `${ids.wamid}bulk${i}`,
    }))
    const response = await postDelivery(appUrl(), JSON.stringify(delivery))
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { received: 2500, duplicates: 0 })
    const [{ total }] = await db
      .from('webhook_events')
      .where('channel_external_id', ids.pnid)
      .count('* as total')
    assert.equal(Number(total), 2500)
  })

  test('both objects and every Instagram shape are accepted; unknown objects store nothing', async ({
    assert,
  }) => {
    const ids = metaIds()
    for (const name of [
      'ig_messages',
      'ig_postback',
      'ig_reaction',
      'ig_read',
      'ig_echo',
      'ig_standby',
      'ig_changes_test',
    ]) {
      const response = await postDelivery(appUrl(), metaFixture(name, ids))
      assert.equal(response.status, 200, name)
    }
    const events = await eventsFor(ids.igId)
    const kinds = events.map((e) => e.kind)
    assert.deepEqual(kinds, [
      'message',
      'message',
      'message',
      'message',
      'postback',
      'reaction',
      'read',
      'echo',
      'message',
      'message',
      'postback',
    ])
    const page = JSON.stringify({ object: 'page', entry: [{ id: ids.igId, messaging: [{}] }] })
    const response = await postDelivery(appUrl(), page)
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { received: 0, duplicates: 0 })
  })
})

test.group('conversations / delivery splitting', () => {
  test('keys: wamid, status id + status, mid; reactions and reads by mid, sender and time', ({
    assert,
  }) => {
    const ids = metaIds()
    const keys = (name: string) =>
      splitDelivery(
        JSON.parse(metaFixture(name, ids, { __TSMS__: '1700000000000', __TS__: '1700000000' }))
      ).map((d) => d.dedupeKey)
    assert.deepEqual(keys('wa_status'), [`wa:status:${ids.outId}:__STATUS__`])
    assert.deepEqual(keys('ig_reaction'), [
      `ig:reaction:${ids.outId}:react:${ids.igsid}:1700000000000`,
    ])
    assert.deepEqual(keys('ig_read'), [`ig:read:${ids.outId}:${ids.igsid}:1700000000000`])
    assert.deepEqual(keys('ig_deleted'), [`ig:deleted:${ids.mid}text`])
    // Items without an id are keyed by their content: the same item twice is one event
    const errors = keys('wa_errors')
    assert.lengthOf(errors, 1)
    assert.match(errors[0], /^wa:error:h:[0-9a-f]{40}$/)
    assert.deepEqual(keys('wa_errors'), errors)
  })
})
