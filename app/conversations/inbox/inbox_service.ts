/*
 * The merchant agents' inbox: conversations handed to humans, read through the purpose guard
 * (purpose `service.human_handoff`, content stays in the hub), answered through the outbox
 * (same 24-hour rule as the AI) and handed back to the AI. Every read is tenant-scoped, so
 * merchant B's agents get 404 for merchant A's conversations.
 */
import { DomainError } from '#core/errors'
import type { Principal } from '#access/principal'
import { findScopedOrFail, scopedQuery } from '#access/services/tenant_scope'
import db from '@adonisjs/lucid/services/db'
import { auditedWrite } from '#audit/services/audited_write'
import auditTrail from '#audit/services/audit_trail'
import Conversation from '#conversations/models/conversation'
import Customer from '#conversations/models/customer'
import Message from '#conversations/models/message'
import CustomerRightsRequest from '#conversations/models/customer_rights_request'
import purposeGuard from '#conversations/guards/purpose_guard'
import handoffs from '#conversations/processing/handoffs'
import outbox, { replyWindow } from '#conversations/outbox/outbox'
import OutboundMessage from '#conversations/outbox/outbound_message'

export const HANDOFF_PURPOSE = 'service.human_handoff'
/** What an agent's screen shows: the messages and the customer's profile name. */
export const VIEW_CATEGORIES = ['customer.content.message', 'customer.identity.profile_name']
const SHOWN_MESSAGES = 100

export class GuardRefusedView extends DomainError {
  constructor(reason: string) {
    super(
      'purpose_guard_denied',
      `The purpose guard refused to show this conversation (${reason}).`,
      {
        status: 403,
      }
    )
  }
}

const CLOSED_WINDOWS = {
  whatsapp: [
    'outside_24h_window',
    'The customer last wrote more than 24 hours ago: WhatsApp and Instagram allow no free-form reply until they write again.',
  ],
  instagram: [
    'outside_human_agent_window',
    'The customer last wrote more than 7 days ago: Instagram allows no reply until they write again.',
  ],
} as const

export class ReplyWindowClosed extends DomainError {
  constructor(channel: Conversation['channel']) {
    const [code, message] = CLOSED_WINDOWS[channel]
    super(code, message, { status: 409 })
  }
}

export class Inbox {
  /** Conversations with humans (or all, when asked), newest activity first. */
  list(principal: Principal, filter: { mode?: 'human' | 'ai' | 'any' }) {
    const query = scopedQuery(principal, Conversation)
      .orderByRaw('last_inbound_at desc nulls last')
      .orderBy('id', 'desc')
    const mode = filter.mode ?? 'human'
    if (mode !== 'any') query.where('mode', mode)
    return query
  }

  /** Requests customers made in chat, waiting for the merchant's decision. */
  rightsRequests(principal: Principal) {
    return scopedQuery(principal, CustomerRightsRequest)
      .where('state', 'awaiting_merchant')
      .orderBy('created_at', 'desc')
      .limit(50)
  }

  /** One conversation with its messages, if the guard lets this purpose see them. */
  async open(principal: Principal, conversationId: number) {
    const conversation = await findScopedOrFail(principal, Conversation, conversationId, {
      what: 'conversation',
    })
    const customer = await Customer.findOrFail(conversation.customerId)
    const newest = await Message.query()
      .where('conversation_id', conversation.id)
      .orderBy('id', 'desc')
      .limit(SHOWN_MESSAGES)
    const messages = newest.reverse()
    const verdict = await purposeGuard.check({
      merchantId: conversation.merchantId,
      purpose: HANDOFF_PURPOSE,
      categories: VIEW_CATEGORIES,
      destination: { kind: 'in_process' },
      records: [
        { type: 'conversation', id: conversation.id, merchantId: conversation.merchantId },
        ...messages.map((m) => ({ type: 'message', id: m.id, merchantId: m.merchantId })),
      ],
      customer,
      // Reading what an opted-out customer said is not messaging them
      honourOptOut: false,
      conversationId: conversation.id,
    })
    if (!verdict.allowed) throw new GuardRefusedView(verdict.reason)
    // Message text on a screen is a read of personal data: recorded with its purpose
    await auditTrail.record({
      action: 'personal_data.read',
      merchantId: conversation.merchantId,
      target: { type: 'conversation', id: conversation.id },
      purpose: HANDOFF_PURPOSE,
      meta: { subject: 'conversation', messages: messages.length },
    })
    const outbound = await OutboundMessage.query().whereIn(
      'message_id',
      messages.filter((m) => m.direction === 'outbound').map((m) => m.id)
    )
    return {
      conversation,
      customer,
      messages,
      deliveries: new Map(outbound.map((row) => [row.messageId, row])),
      window: agentWindow(conversation),
    }
  }

  /** An agent's reply: staged in the outbox like the AI's, under the agents' window (`agentWindow`). */
  async reply(principal: Principal, conversationId: number, text: string) {
    const conversation = await findScopedOrFail(principal, Conversation, conversationId, {
      what: 'conversation',
    })
    if (agentWindow(conversation) === 'closed') throw new ReplyWindowClosed(conversation.channel)
    const row = await auditedWrite(
      (trx) =>
        outbox.stage(
          {
            conversation,
            text,
            kind: 'agent_reply',
            inboundMessageId: null,
            sentByUserId: principal.userId,
          },
          trx
        ),
      (staged) => ({
        action: 'conversations.agent_reply',
        merchantId: conversation.merchantId,
        target: { type: 'conversation', id: conversation.id },
        purpose: HANDOFF_PURPOSE,
        meta: { outboundId: staged.id },
      })
    )
    await outbox.enqueue(row.id)
    return row
  }

  async handBack(principal: Principal, conversationId: number) {
    const conversation = await findScopedOrFail(principal, Conversation, conversationId, {
      what: 'conversation',
    })
    // The hand-back and its audit event commit together (`handBack` records it)
    await db.transaction((trx) => handoffs.handBack(conversation, trx))
    return conversation
  }
}

const inbox = new Inbox()
export default inbox

/** When an agent may still answer: 24 hours on WhatsApp, 7 days (tagged) on Instagram. */
export function agentWindow(conversation: Pick<Conversation, 'lastInboundAt' | 'channel'>) {
  return replyWindow(conversation.lastInboundAt, { channel: conversation.channel, agent: true })
}
