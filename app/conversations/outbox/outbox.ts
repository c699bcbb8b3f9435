/*
 * The outbox: every reply (the AI's, a handoff notice, a data-rights acknowledgement, an agent's)
 * is staged here in the transaction that decided it, then sent by the `conversations.send_outbound`
 * job. Sending checks, in this order: the customer has not opted out, the 24-hour window is open
 * (no free-form message after it closes; on Instagram an agent's reply may go for 7 days, tagged
 * `HUMAN_AGENT`, which Meta allows for people and never for automation), and the channel has a token (otherwise the reply is held:
 * "not sent: channel not connected"). Meta's errors are recorded; transient ones are retried with
 * backoff, 131047 (re-engagement) is final. Meta's message id lands on the outbound message, so
 * status webhooks find it.
 */
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import logger from '@adonisjs/core/services/logger'
import { dispatch } from '#core/queue'
import type Conversation from '#conversations/models/conversation'
import Customer from '#conversations/models/customer'
import ChannelConnection from '#conversations/models/channel_connection'
import Message from '#conversations/models/message'
import ConversationModel from '#conversations/models/conversation'
import OutboundMessage, {
  type NotSentReason,
  type OutboundKind,
} from '#conversations/outbox/outbound_message'
import {
  graphClient,
  GraphError,
  REENGAGEMENT_ERROR,
  type GraphClient,
} from '#conversations/graph/graph_client'

/** Free-form replies only within 24 hours of the customer's last message (WhatsApp and Instagram). */
export const REPLY_WINDOW_HOURS = 24
/** On Instagram a person (never the AI) may answer for 7 days, tagged `HUMAN_AGENT`. */
export const HUMAN_AGENT_WINDOW_HOURS = 7 * 24
export const MAX_SEND_ATTEMPTS = 6
/** A send claimed longer ago than this was lost with its worker; the sweeper takes it again. */
const STALE_SENDING_MINUTES = 5

/** 30 s, 1 min, 2 min, 4 min, … capped at one hour. */
export function backoffDelayMs(attempt: number) {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000)
}

/** `human_agent`: past 24 hours, but an agent on Instagram may still answer with the tag. */
export type ReplyWindow = 'open' | 'human_agent' | 'closed'

export function replyWindow(
  lastInboundAt: DateTime | null,
  by: { channel: Conversation['channel']; agent: boolean },
  now = DateTime.utc()
): ReplyWindow {
  if (lastInboundAt === null) return 'closed'
  const hours = now.diff(lastInboundAt, 'hours').hours
  if (hours < REPLY_WINDOW_HOURS) return 'open'
  if (by.agent && by.channel === 'instagram' && hours < HUMAN_AGENT_WINDOW_HOURS) {
    return 'human_agent'
  }
  return 'closed'
}

export interface StageInput {
  conversation: Conversation
  text: string
  kind: OutboundKind
  inboundMessageId: number | null
  sentByUserId: number | null
}

export class Outbox {
  constructor(private readonly client: () => Promise<GraphClient> = graphClient) {}

  /** The outbound message (text sealed under the customer's key) and its outbox row. */
  async stage(input: StageInput, trx: TransactionClientContract) {
    const { conversation } = input
    const message = await Message.create(
      {
        merchantId: conversation.merchantId,
        conversationId: conversation.id,
        customerId: conversation.customerId,
        direction: 'outbound',
        type: 'text',
        body: input.text,
        status: 'queued',
        sentByUserId: input.sentByUserId,
      },
      { client: trx }
    )
    return OutboundMessage.create(
      {
        merchantId: conversation.merchantId,
        conversationId: conversation.id,
        customerId: conversation.customerId,
        messageId: message.id,
        inboundMessageId: input.inboundMessageId,
        kind: input.kind,
        state: 'pending',
        attempts: 0,
        sentByUserId: input.sentByUserId,
      },
      { client: trx }
    )
  }

  /** Queues the send; with Redis down the sweeper sends it later, nothing is lost. */
  async enqueue(outboundId: number, delayMs = 0) {
    try {
      await dispatch(
        'conversations.send_outbound',
        { outboundId },
        delayMs ? { delay: delayMs } : {}
      )
    } catch (error) {
      logger.warn(
        { outboundId, err: { message: (error as Error).message } },
        'outbox enqueue failed'
      )
    }
  }

  /**
   * Claims the row (one sender at a time: `pending`/`held` → `sending`, or a stale `sending`) and
   * sends it. Answers the row's state afterwards.
   */
  async send(outboundId: number) {
    const claimed = await db
      .from('outbound_messages')
      .where('id', outboundId)
      .where((scope) =>
        scope
          .whereIn('state', ['pending', 'held'])
          .orWhere((stale) =>
            stale
              .where('state', 'sending')
              .where(
                'updated_at',
                '<',
                DateTime.utc().minus({ minutes: STALE_SENDING_MINUTES }).toSQL()
              )
          )
      )
      .update({ state: 'sending', updated_at: DateTime.utc().toSQL() })
    const row = await OutboundMessage.find(outboundId)
    if (!row) return null
    if (!claimed) return row.state
    await this.deliver(row)
    return row.state
  }

  private async deliver(row: OutboundMessage) {
    const conversation = await ConversationModel.findOrFail(row.conversationId)
    const customer = await Customer.findOrFail(row.customerId)
    const message = await Message.findOrFail(row.messageId)

    if (customer.optedOutAt) return this.notSent(row, message, 'customer_opted_out')
    const agent = row.kind === 'agent_reply'
    const window = replyWindow(conversation.lastInboundAt, { channel: conversation.channel, agent })
    if (window === 'closed') {
      const humanAgent = agent && conversation.channel === 'instagram'
      return this.notSent(
        row,
        message,
        humanAgent ? 'outside_human_agent_window' : 'outside_24h_window'
      )
    }
    const connection = await ChannelConnection.find(conversation.channelConnectionId)
    if (!connection || connection.status !== 'active' || !connection.accessToken) {
      row.merge({ state: 'held', notSentReason: 'channel_not_connected', nextAttemptAt: null })
      return row.save()
    }

    row.attempts += 1
    const client = await this.client()
    try {
      const { messageId } = await client.sendText(
        {
          channel: connection.channel,
          externalId: connection.externalId,
          accessToken: connection.accessToken,
        },
        { waId: customer.waId, bsuid: customer.bsuid, instagramId: customer.instagramId },
        message.body ?? '',
        { humanAgent: window === 'human_agent' }
      )
      await db.transaction(async (trx) => {
        const now = DateTime.utc()
        row.useTransaction(trx)
        row.merge({
          state: 'sent',
          providerMessageId: messageId,
          sentAt: now,
          notSentReason: null,
          errorCode: null,
          errorTitle: null,
          nextAttemptAt: null,
        })
        await row.save()
        message.useTransaction(trx)
        // A status webhook may have beaten this answer; it never moves a status backwards
        if (message.status === 'queued') message.merge({ status: 'sent', statusAt: now })
        message.metaMessageId = messageId
        await message.save()
      })
    } catch (error) {
      if (!(error instanceof GraphError)) throw error
      if (error.code === String(REENGAGEMENT_ERROR)) {
        return this.notSent(row, message, 'outside_24h_window', error)
      }
      if (error.code === 'recipient_unknown') {
        return this.notSent(row, message, 'recipient_unknown', error)
      }
      row.merge({ errorCode: error.code, errorTitle: error.title })
      if (error.retryable && row.attempts < MAX_SEND_ATTEMPTS) {
        const delay = backoffDelayMs(row.attempts)
        row.merge({ state: 'pending', nextAttemptAt: DateTime.utc().plus({ milliseconds: delay }) })
        await row.save()
        await this.enqueue(row.id, delay)
        return
      }
      row.merge({ state: 'failed', nextAttemptAt: null })
      await row.save()
      message.merge({ status: 'failed', statusAt: DateTime.utc(), errorCode: error.code })
      await message.save()
    }
  }

  private async notSent(
    row: OutboundMessage,
    message: Message,
    reason: NotSentReason,
    error?: GraphError
  ) {
    await db.transaction(async (trx) => {
      row.useTransaction(trx)
      row.merge({
        state: 'not_sent',
        notSentReason: reason,
        nextAttemptAt: null,
        errorCode: error?.code ?? null,
        errorTitle: error?.title ?? null,
      })
      await row.save()
      message.useTransaction(trx)
      message.merge({
        status: 'failed',
        statusAt: DateTime.utc(),
        errorCode: error?.code ?? reason,
      })
      await message.save()
    })
  }

  /**
   * Every minute: sends what is due (retries whose time has come, rows whose job was lost while
   * Redis was down, held rows whose channel now has a token, sends lost with their worker).
   */
  async sweep(limit = 200) {
    const now = DateTime.utc()
    const due = await OutboundMessage.query()
      .where((scope) =>
        scope
          .where((pending) =>
            pending
              .where('state', 'pending')
              .where((time) =>
                time
                  .where('next_attempt_at', '<=', now.toSQL())
                  .orWhere((lost) =>
                    lost
                      .whereNull('next_attempt_at')
                      .where('created_at', '<', now.minus({ minutes: 1 }).toSQL())
                  )
              )
          )
          .orWhere('state', 'held')
          .orWhere((stale) =>
            stale
              .where('state', 'sending')
              .where('updated_at', '<', now.minus({ minutes: STALE_SENDING_MINUTES }).toSQL())
          )
      )
      .orderBy('id')
      .limit(limit)
    const states: Record<string, number> = {}
    for (const row of due) {
      const state = (await this.send(row.id)) ?? 'missing'
      states[state] = (states[state] ?? 0) + 1
    }
    return { checked: due.length, states }
  }
}

const outbox = new Outbox()
export default outbox
