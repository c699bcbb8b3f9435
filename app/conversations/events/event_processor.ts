import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DomainError } from '#core/errors'
import WebhookEvent from '#conversations/models/webhook_event'
import Message, { type MessageStatus } from '#conversations/models/message'
import type ChannelConnection from '#conversations/models/channel_connection'
import type { EventEnvelope } from '#conversations/webhooks/envelope'
import { connectionFor } from '#conversations/channels/channel_directory'
import customerDirectory from '#conversations/customers/customer_directory'
import { parseEvent, type ParsedEvent, type ParsedMessage } from '#conversations/events/parse'
import { handInbound } from '#conversations/processing/inbound_hook'
import { dispatch } from '#core/queue'
import { FETCH_MEDIA_JOB, mediaJobId, wantsMedia } from '#conversations/media/media_store'

/*
 * The worker's half of ingestion, for one stored event:
 *   1. lock the event row (a duplicate job waits, then finds it done);
 *   2. route it by phone_number_id / Instagram account id to an active channel connection, or
 *      mark it `unroutable` (kept, sealed under the platform key, for `replayUnroutable`);
 *   3. parse it; upsert the customer by blind index, the conversation (customer × connection,
 *      `last_inbound_at`), and store the message sealed under the customer's key; or apply a
 *      status (forward only) or a deletion;
 *   4. mark it `processed` and drop its payload (the message row now holds what is kept), all in
 *      the same transaction, so a worker killed at any point leaves either nothing or everything;
 *   5. after the commit, hand an inbound customer message to the reply step (`handInbound`).
 * A failure counts an attempt and, once the event is routed, reseals its payload under the
 * merchant's key; the last attempt leaves it `failed`.
 */

/** A status for a message not stored yet (it can beat the send response): try again later. */
export class MessageNotYetKnown extends DomainError {
  constructor() {
    super('message_not_found', 'The message this status is about is not stored (yet).', {
      status: 409,
    })
  }
}

export type ProcessOutcome =
  | 'processed'
  | 'already_processed'
  | 'unroutable'
  | 'ignored'
  | 'missing'
  | 'not_pending'

export interface ProcessResult {
  outcome: ProcessOutcome
  messageId?: number | null
  /** When that message was stored (epoch ms), which names its reply job. */
  messageCreatedAt?: number | null
  /** The inbound message handed to the reply step, if any. */
  handedOver?: boolean
}

type StoredMessage = Pick<Message, 'id' | 'createdAt'>

const STATUS_RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3 }

function isUniqueViolation(error: unknown) {
  return (error as { code?: string })?.code === '23505'
}

/** A transaction's result, and whether its message goes to the reply step after the commit. */
interface Settled {
  result: ProcessResult
  answer: boolean
  /** An inbound WhatsApp media message on a channel with a token: fetch the file after the commit */
  media?: boolean
}

function settled(outcome: ProcessOutcome): Settled {
  return { result: { outcome }, answer: false }
}

const UNANSWERED_TYPES = ['reaction', 'system']

/** Inbound messages the reply step answers: not reactions, system notices or standby items. */
function answerable(parsed: ParsedEvent) {
  return (
    parsed.kind === 'inbound' && !parsed.standby && !UNANSWERED_TYPES.includes(parsed.message.type)
  )
}

function momentOf(date: Date | null) {
  const now = DateTime.utc()
  if (!date) return now
  const at = DateTime.fromJSDate(date, { zone: 'utc' })
  return at > now ? now : at
}

export class EventProcessor {
  async process(eventId: number, options: { finalAttempt?: boolean } = {}): Promise<ProcessResult> {
    let result: Settled | null = null
    for (let tries = 1; ; tries++) {
      try {
        result = await db.transaction((trx) => this.processIn(eventId, trx))
        break
      } catch (error) {
        // Another worker created the same customer or message first: run again and find it
        if (isUniqueViolation(error) && tries < 3) continue
        if (error instanceof MessageNotYetKnown && options.finalAttempt) {
          result = await db.transaction((trx) => this.settle(eventId, trx, 'message_not_found'))
          break
        }
        await this.recordFailure(eventId, error, options.finalAttempt ?? false)
        throw error
      }
    }
    const { result: outcome, answer, media } = result
    if (outcome.messageId && outcome.messageCreatedAt && media) {
      const message = { id: outcome.messageId, createdAt: outcome.messageCreatedAt }
      await dispatch(FETCH_MEDIA_JOB, { messageId: message.id }, { jobId: mediaJobId(message) })
    }
    if (outcome.messageId && outcome.messageCreatedAt && answer) {
      outcome.handedOver = await handInbound({
        id: outcome.messageId,
        createdAt: outcome.messageCreatedAt,
      })
    }
    return outcome
  }

  private async lock(eventId: number, trx: TransactionClientContract) {
    return WebhookEvent.query({ client: trx }).where('id', eventId).forUpdate().first()
  }

  private async processIn(eventId: number, trx: TransactionClientContract): Promise<Settled> {
    const event = await this.lock(eventId, trx)
    if (!event) return settled('missing')
    if (event.state === 'processed') return this.alreadyDone(event, trx)
    if (event.state !== 'received') return settled('not_pending')

    const connection = await connectionFor(event.object, event.channelExternalId, trx)
    if (!connection) {
      event.merge({ state: 'unroutable', errorCode: 'no_channel' })
      event.useTransaction(trx)
      await event.save()
      return settled('unroutable')
    }
    if (!event.payload) {
      await this.finish(event, connection, trx, 'no_payload')
      return settled('ignored')
    }

    const parsed = parseEvent(JSON.parse(event.payload) as EventEnvelope)
    let stored: StoredMessage | null = null
    let errorCode: string | null = null
    switch (parsed.kind) {
      case 'inbound':
      case 'echo':
        stored = await this.storeMessage(event, connection, parsed, trx)
        if (stored === null) errorCode = 'no_sender'
        break
      case 'status':
        errorCode = await this.applyStatus(connection, parsed, trx)
        break
      case 'deleted':
        await this.forgetDeleted(connection, parsed.metaMessageId, trx)
        break
      case 'ignored':
        errorCode = parsed.errorCode ?? parsed.reason
        break
    }
    await this.finish(event, connection, trx, errorCode)
    return {
      result: {
        outcome: 'processed',
        messageId: stored?.id ?? null,
        messageCreatedAt: stored?.createdAt.toMillis() ?? null,
      },
      answer: answerable(parsed),
      media:
        parsed.kind === 'inbound' &&
        stored !== null &&
        wantsMedia(connection, parsed.message.type, parsed.message.content),
    }
  }

  /** A retried job after a commit: nothing to store, but the hand-over may not have happened. */
  private async alreadyDone(event: WebhookEvent, trx: TransactionClientContract): Promise<Settled> {
    const message = await Message.query({ client: trx })
      .where('webhook_event_id', event.id)
      .where('direction', 'inbound')
      .whereNotIn('type', UNANSWERED_TYPES)
      .select('id', 'content', 'created_at')
      .first()
    const standby = message?.contentValue<{ standby?: boolean }>()?.standby === true
    return {
      result: {
        outcome: 'already_processed',
        messageId: message?.id ?? null,
        messageCreatedAt: message?.createdAt.toMillis() ?? null,
      },
      answer: Boolean(message) && !standby,
    }
  }

  private async finish(
    event: WebhookEvent,
    connection: ChannelConnection,
    trx: TransactionClientContract,
    errorCode: string | null
  ) {
    event.merge({
      merchantId: connection.merchantId,
      channelConnectionId: connection.id,
      state: 'processed',
      processedAt: DateTime.utc(),
      attempts: event.attempts + 1,
      errorCode,
      payload: null,
    })
    event.useTransaction(trx)
    await event.save()
  }

  /** The last attempt at a status whose message never appeared: done, with the reason. */
  private async settle(
    eventId: number,
    trx: TransactionClientContract,
    errorCode: string
  ): Promise<Settled> {
    const event = await this.lock(eventId, trx)
    if (!event || event.state !== 'received') return settled('not_pending')
    const connection = await connectionFor(event.object, event.channelExternalId, trx)
    if (connection) await this.finish(event, connection, trx, errorCode)
    return settled('ignored')
  }

  private async storeMessage(
    event: WebhookEvent,
    connection: ChannelConnection,
    parsed: Extract<ParsedEvent, { kind: 'inbound' | 'echo' }>,
    trx: TransactionClientContract
  ) {
    const at = momentOf(parsed.message.occurredAt)
    const inbound = parsed.kind === 'inbound'
    const found = await customerDirectory.upsert(connection.merchantId, parsed.customer, at, trx)
    if (!found) return null
    const { customer } = found
    if (parsed.kind === 'inbound' && parsed.changedWaId) {
      await customerDirectory.changeWaId(customer, parsed.changedWaId, trx)
    }
    // The customer wrote: the 24-hour window opens from here (not for notices or echoes)
    const opensWindow = inbound && parsed.message.type !== 'system'
    const conversation = await trx.rawQuery(
      `INSERT INTO conversations
         (merchant_id, customer_id, channel, channel_connection_id, mode, last_inbound_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'ai', CASE WHEN ?::boolean THEN ?::timestamptz END, now(), now())
       ON CONFLICT (customer_id, channel_connection_id) DO UPDATE
         SET last_inbound_at = GREATEST(conversations.last_inbound_at, EXCLUDED.last_inbound_at),
             updated_at = now()
       RETURNING id`,
      [
        connection.merchantId,
        customer.id,
        connection.channel,
        connection.id,
        opensWindow,
        at.toJSDate(),
      ]
    )
    const conversationId = conversation.rows[0].id as number

    const metaId = parsed.message.metaMessageId
    if (metaId) {
      const existing = await Message.query({ client: trx })
        .where('meta_message_id', metaId)
        .select('id', 'created_at')
        .first()
      // An echo of a reply the outbox sent is already stored: nothing more to keep
      if (existing) return existing
    }
    return this.insertMessage(event, connection, conversationId, customer.id, parsed, trx)
  }

  private async insertMessage(
    event: WebhookEvent,
    connection: ChannelConnection,
    conversationId: number,
    customerId: number,
    parsed: Extract<ParsedEvent, { kind: 'inbound' | 'echo' }>,
    trx: TransactionClientContract
  ) {
    const m: ParsedMessage = parsed.message
    const inbound = parsed.kind === 'inbound'
    const content =
      parsed.kind === 'inbound' && parsed.standby
        ? { ...(m.content ?? {}), standby: true }
        : m.content
    const message = new Message()
    message.useTransaction(trx)
    message.fill({
      merchantId: connection.merchantId,
      conversationId,
      customerId,
      direction: inbound ? 'inbound' : 'outbound',
      type: m.type,
      body: m.body,
      content: content ? JSON.stringify(content) : null,
      metaMessageId: m.metaMessageId,
      webhookEventId: event.id,
      status: inbound ? 'received' : 'sent',
      statusAt: momentOf(m.occurredAt),
      occurredAt: m.occurredAt ? momentOf(m.occurredAt) : null,
    })
    await message.save()
    return message
  }

  /**
   * Moves an outbound message's status forward only: sent < delivered < read; failed is final
   * and never follows read. One conditional UPDATE, so two statuses racing cannot move it back.
   * Returns the error code to record, if any.
   */
  private async applyStatus(
    connection: ChannelConnection,
    parsed: Extract<ParsedEvent, { kind: 'status' }>,
    trx: TransactionClientContract
  ) {
    const target = parsed.status as MessageStatus
    const rankOf = `CASE status WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 ELSE 4 END`
    const allowed =
      target === 'failed'
        ? `status NOT IN ('failed', 'read')`
        : `status <> 'failed' AND ${rankOf} < ${STATUS_RANK[target]}`
    const updated = await trx.rawQuery(
      `UPDATE messages SET status = ?, status_at = ?, error_code = COALESCE(NULLIF(?, ''), error_code)
        WHERE meta_message_id = ? AND merchant_id = ? AND direction = 'outbound' AND ${allowed}
        RETURNING id`,
      [
        target,
        momentOf(parsed.occurredAt).toJSDate(),
        parsed.errorCode ?? '',
        parsed.metaMessageId,
        connection.merchantId,
      ]
    )
    if (updated.rows.length > 0) return parsed.errorCode
    const known = await trx
      .from('messages')
      .where('meta_message_id', parsed.metaMessageId)
      .where('merchant_id', connection.merchantId)
      .select('id')
      .first()
    if (!known) throw new MessageNotYetKnown()
    // Older than what is stored (statuses arrive out of order): nothing to change
    return 'stale_status'
  }

  /** The customer deleted an Instagram message: its words go from the hub too. */
  private async forgetDeleted(
    connection: ChannelConnection,
    metaMessageId: string,
    trx: TransactionClientContract
  ) {
    const message = await Message.query({ client: trx })
      .where('meta_message_id', metaMessageId)
      .where('merchant_id', connection.merchantId)
      .first()
    if (!message) return
    message.merge({ body: null, content: JSON.stringify({ deleted: true }), entities: null })
    message.useTransaction(trx)
    await message.save()
  }

  private async recordFailure(eventId: number, error: unknown, final: boolean) {
    const code =
      error instanceof DomainError ? error.code : ((error as { code?: string })?.code ?? 'error')
    try {
      await db.transaction(async (trx) => {
        const event = await this.lock(eventId, trx)
        if (!event || event.state !== 'received') return
        // Routed but not processed: its payload is the merchant's from now on
        const connection = await connectionFor(event.object, event.channelExternalId, trx)
        if (connection && event.merchantId === null) {
          event.merge({ merchantId: connection.merchantId, channelConnectionId: connection.id })
        }
        event.merge({
          attempts: event.attempts + 1,
          errorCode: String(code).slice(0, 64),
          state: final ? 'failed' : 'received',
        })
        event.useTransaction(trx)
        await event.save()
      })
    } catch (failure) {
      logger.error(
        { eventId, err: { message: (failure as Error).message } },
        'could not record a failed webhook event'
      )
    }
    logger.warn({ eventId, code, final }, 'webhook event processing failed')
  }
}

export default new EventProcessor()
