/*
 * The respond step (DESIGN.md §6.3, steps 4–9): an inbound message id in, a routed conversation
 * out. Runs the purpose guard, asks the AI gateway, logs the call, stores the classification on
 * the message, and routes: a reply to the outbox, a handoff to the agents' inbox, an opt-out, or a
 * data-rights request passed to the merchant. Idempotent: a message already classified is not
 * processed again, and the outbox holds one reply per inbound message and kind.
 */
import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'
import { aiGateway, AI_PURPOSE, type AiGateway } from '#conversations/ai/gateway'
import type { AiResult, ConversationTurn, MerchantInstructions } from '#conversations/ai/types'
import Conversation from '#conversations/models/conversation'
import Customer from '#conversations/models/customer'
import Message from '#conversations/models/message'
import MerchantAiInstruction from '#conversations/models/merchant_ai_instruction'
import purposeGuard, { destinationOfProvider } from '#conversations/guards/purpose_guard'
import aiProcessingLog from '#conversations/processing/ai_processing_log_service'
import handoffs from '#conversations/processing/handoffs'
import rightsRequests from '#conversations/processing/rights_requests'
import outbox from '#conversations/outbox/outbox'
import type { OutboundKind } from '#conversations/outbox/outbound_message'
import auditTrail from '#audit/services/audit_trail'
import Merchant from '#merchants/models/merchant'

/** Categories an AI call on a conversation touches (the intent classification activity's). */
export const AI_CATEGORIES = ['customer.content.message', 'customer.ai.intent']
const RECENT_TURNS = 10
const SYSTEM = { type: 'system' as const }

export type RespondOutcome =
  | 'missing'
  | 'not_inbound'
  | 'already_processed'
  | 'human_mode'
  | 'opted_out'
  | 'no_text'
  | 'guard_denied'
  | 'reply'
  | 'handoff'
  | 'opt_out'
  | 'data_rights_request'

/** Instructions for a merchant who has written none: the gateway hands off what it cannot ground. */
function emptyInstructions(businessName: string): MerchantInstructions {
  return {
    businessName,
    products: [],
    policies: {},
    tone: 'friendly',
    languages: ['ar', 'en'],
    escalation: {},
  }
}

function isUniqueViolation(error: unknown) {
  return (error as { code?: string }).code === '23505'
}

export class Responder {
  constructor(private readonly gateway: () => Promise<AiGateway> = aiGateway) {}

  async respond(messageId: number): Promise<{ outcome: RespondOutcome; outboundIds: number[] }> {
    const done = (outcome: RespondOutcome, outboundIds: number[] = []) => ({
      outcome,
      outboundIds,
    })
    const message = await Message.find(messageId)
    if (!message) return done('missing')
    if (message.direction !== 'inbound') return done('not_inbound')
    if (message.intent !== null) return done('already_processed')
    const conversation = await Conversation.findOrFail(message.conversationId)
    if (conversation.mode === 'human') return done('human_mode')
    const customer = await Customer.findOrFail(message.customerId)
    if (customer.optedOutAt) return done('opted_out')
    if (!message.body?.trim()) return done('no_text')

    const merchant = await Merchant.findOrFail(message.merchantId)
    const instructionRow = await MerchantAiInstruction.findBy('merchantId', merchant.id)
    const instructions =
      instructionRow?.toInstructions(merchant.legalName) ?? emptyInstructions(merchant.legalName)
    const earlier = await Message.query()
      .where('conversation_id', conversation.id)
      .where('id', '<', message.id)
      .orderBy('id', 'desc')
      .limit(RECENT_TURNS)
    const turns: ConversationTurn[] = earlier
      .reverse()
      .filter((turn) => turn.body)
      .map((turn) => ({ direction: turn.direction, text: turn.body! }))

    const gateway = await this.gateway()
    const verdict = await purposeGuard.check(
      {
        merchantId: merchant.id,
        purpose: AI_PURPOSE,
        categories: AI_CATEGORIES,
        destination: destinationOfProvider(gateway.provider),
        records: [
          { type: 'conversation', id: conversation.id, merchantId: conversation.merchantId },
          { type: 'message', id: message.id, merchantId: message.merchantId },
          ...earlier.map((turn) => ({ type: 'message', id: turn.id, merchantId: turn.merchantId })),
          ...(instructionRow
            ? [
                {
                  type: 'merchant_ai_instruction',
                  id: instructionRow.id,
                  merchantId: instructionRow.merchantId,
                },
              ]
            : []),
        ],
        customer,
        honourOptOut: true,
        conversationId: conversation.id,
      },
      { actor: SYSTEM }
    )
    if (!verdict.allowed) {
      await aiProcessingLog.recordDenial({
        message,
        provider: gateway.provider,
        reason: verdict.reason,
      })
      await db.transaction(async (trx) => {
        await handoffs.handOff(conversation, 'guard_denied', verdict.reason, trx)
      })
      return done('guard_denied')
    }

    const result = await gateway.process({ text: message.body, turns, instructions })
    await aiProcessingLog.recordCall({ message, result, subprocessorId: verdict.subprocessorId })

    try {
      const outboundIds = await db.transaction((trx) =>
        this.route(message, conversation, customer, result, trx)
      )
      for (const id of outboundIds) await outbox.enqueue(id)
      return done(result.decision.kind, outboundIds)
    } catch (error) {
      // A concurrent run of the same job got there first: its reply stands, this one is dropped
      if (isUniqueViolation(error)) return done('already_processed')
      throw error
    }
  }

  private async route(
    message: Message,
    conversation: Conversation,
    customer: Customer,
    result: AiResult,
    trx: TransactionClientContract
  ): Promise<number[]> {
    const { classification, decision } = result
    message.useTransaction(trx)
    message.merge({
      intent: classification.intent,
      confidence: classification.confidence,
      entities: JSON.stringify({ ...classification.entities, language: classification.language }),
    })
    await message.save()

    const reply = async (kind: OutboundKind, text: string) => {
      const row = await outbox.stage(
        { conversation, text, kind, inboundMessageId: message.id, sentByUserId: null },
        trx
      )
      return row.id
    }
    // Every signal is acted on, whatever the decision: "remove my number and delete my data"
    // is both an opt-out and a request for the merchant
    if (classification.signals.dataRightsRequest) {
      await rightsRequests.recordFromChat(message, trx)
    }

    switch (decision.kind) {
      case 'reply':
        return [await reply('ai_reply', decision.text)]
      case 'handoff': {
        await handoffs.handOff(conversation, decision.reason, decision.detail, trx)
        return [await reply('handoff_notice', decision.notice)]
      }
      case 'opt_out': {
        customer.useTransaction(trx)
        customer.optedOutAt = DateTime.utc()
        await customer.save()
        await auditTrail.record(
          {
            action: 'conversations.customer.opted_out',
            actor: SYSTEM,
            merchantId: customer.merchantId,
            target: { type: 'customer', id: customer.id },
            meta: { messageId: message.id },
          },
          trx
        )
        return []
      }
      case 'data_rights_request':
        return [await reply('data_rights_ack', decision.text)]
    }
  }
}

const responder = new Responder()
export default responder
