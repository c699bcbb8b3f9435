import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Conversation from '#conversations/models/conversation'
import auditTrail, { type AuditActor } from '#audit/services/audit_trail'

/** Why a conversation went to a human: the gateway's reasons plus the guard's denial. */
export const HANDOFF_TRIGGERS = [
  'human_request',
  'complaint',
  'low_confidence',
  'suspected_minor',
  'merchant_rule',
  'instruction_missing',
  'ai_failure',
  'guard_denied',
] as const

/**
 * Moving a conversation between the AI and the merchant's agents. In `human` mode the AI stops:
 * the respond step skips the conversation until an agent hands it back.
 */
export class Handoffs {
  async handOff(
    conversation: Conversation,
    reason: string,
    detail: string | null,
    trx: TransactionClientContract,
    actor: AuditActor = { type: 'system' }
  ) {
    conversation.useTransaction(trx)
    conversation.merge({ mode: 'human', handoffReason: reason, handedOffAt: DateTime.utc() })
    await conversation.save()
    await auditTrail.record(
      {
        action: 'conversations.handoff',
        actor,
        merchantId: conversation.merchantId,
        target: { type: 'conversation', id: conversation.id },
        purpose: 'service.human_handoff',
        // `detail` is a rule name or a missing field, never message content
        meta: { reason, detail },
      },
      trx
    )
  }

  /** An agent gives the conversation back to the AI. */
  async handBack(conversation: Conversation, trx: TransactionClientContract) {
    conversation.useTransaction(trx)
    conversation.merge({ mode: 'ai', handoffReason: null, handedOffAt: null })
    await conversation.save()
    await auditTrail.record(
      {
        action: 'conversations.hand_back',
        merchantId: conversation.merchantId,
        target: { type: 'conversation', id: conversation.id },
      },
      trx
    )
  }
}

const handoffs = new Handoffs()
export default handoffs
