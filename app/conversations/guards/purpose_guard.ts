/*
 * The purpose guard (DESIGN.md §5): every operation on conversation content (an AI call, an
 * agent's view of message text) declares its context, and runs only if every condition holds:
 * the purpose is allowed for those categories in the merchant's processing activities, the
 * destination subprocessor is effective, transfer compliant and not objected to by this
 * merchant, every record belongs to that one merchant, and the customer has not restricted,
 * objected to (or, for AI and sending, opted out of) the processing.
 * A denial is audited here; the caller sends the conversation to a human.
 */
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { DateTime } from 'luxon'
import purposeRegistry from '#data_map/services/purpose_registry'
import System from '#data_map/models/system'
import Subprocessor from '#vendors/models/subprocessor'
import vendors from '#vendors/services/vendors'
import auditTrail from '#audit/services/audit_trail'
import type { AuditActor } from '#audit/services/audit_trail'

export const GUARD_DENIAL_REASONS = [
  'purpose_unknown',
  'purpose_prohibited',
  'categories_not_covered',
  'destination_unknown',
  'subprocessor_inactive',
  'transfer_not_compliant',
  'merchant_objected',
  'records_across_merchants',
  'customer_restricted',
  'customer_objected',
  'customer_opted_out',
] as const
export type GuardDenialReason = (typeof GUARD_DENIAL_REASONS)[number]

export const GUARD_DENIED_ACTION = 'conversations.guard.denied'

/**
 * Where the content goes. `in_process` stays in the hub (the `local` AI provider, an agent's
 * screen); `system` names the data-map system whose operator (a subprocessor) receives it.
 */
export type GuardDestination = { kind: 'in_process' } | { kind: 'system'; code: string }

/** The data-map system each external AI provider is; `local` has none. */
export const AI_PROVIDER_SYSTEMS: Record<string, string | null> = {
  local: null,
  openai: 'ai_provider_api',
}

export function destinationOfProvider(provider: string): GuardDestination {
  const code = AI_PROVIDER_SYSTEMS[provider]
  if (code === undefined) return { kind: 'system', code: `ai_provider:${provider}` }
  return code === null ? { kind: 'in_process' } : { kind: 'system', code }
}

export interface GuardedRecord {
  type: string
  id: number
  merchantId: number
}

export interface GuardedCustomer {
  id: number
  merchantId: number
  optedOutAt: DateTime | null
  restrictedAt: DateTime | null
  objectedAt: DateTime | null
}

export interface GuardContext {
  merchantId: number
  purpose: string
  categories: string[]
  destination: GuardDestination
  /** Every row whose content the operation touches (conversation, messages, instructions). */
  records: GuardedRecord[]
  customer: GuardedCustomer | null
  /** Opt-out stops the AI and sending; an agent may still read what was said. */
  honourOptOut: boolean
  /** For the audit event of a denial. */
  conversationId?: number | null
}

export type GuardVerdict =
  | { allowed: true; activities: string[]; subprocessorId: number | null }
  | { allowed: false; reason: GuardDenialReason; detail: string | null }

function denied(reason: GuardDenialReason, detail: string | null = null): GuardVerdict {
  return { allowed: false, reason, detail }
}

export class PurposeGuard {
  /** The verdict alone, without side effects. */
  async evaluate(context: GuardContext): Promise<GuardVerdict> {
    const foreign = context.records.find((record) => record.merchantId !== context.merchantId)
    if (foreign || (context.customer && context.customer.merchantId !== context.merchantId)) {
      return denied(
        'records_across_merchants',
        foreign ? `${foreign.type}:${foreign.id}` : `customer:${context.customer!.id}`
      )
    }
    if (context.customer?.restrictedAt) return denied('customer_restricted')
    if (context.customer?.objectedAt) return denied('customer_objected')
    if (context.honourOptOut && context.customer?.optedOutAt) return denied('customer_opted_out')

    const purpose = await purposeRegistry.check({
      merchantId: context.merchantId,
      purpose: context.purpose,
      categories: context.categories,
    })
    if (!purpose.allowed) {
      return denied(purpose.reason, purpose.uncovered.length ? purpose.uncovered.join(', ') : null)
    }

    if (context.destination.kind === 'in_process') {
      return { allowed: true, activities: purpose.activities, subprocessorId: null }
    }
    const system = await System.findBy('code', context.destination.code)
    if (!system?.subprocessorId) return denied('destination_unknown', context.destination.code)
    const subprocessor = await Subprocessor.find(system.subprocessorId)
    if (!subprocessor) return denied('destination_unknown', context.destination.code)
    if (subprocessor.status !== 'effective') {
      return denied('subprocessor_inactive', `subprocessor:${subprocessor.id}`)
    }
    const transfer = await vendors.isTransferCompliant(subprocessor.id)
    if (!transfer.compliant) {
      return denied('transfer_not_compliant', `subprocessor:${subprocessor.id}`)
    }
    if (!(await vendors.isFlowAllowed(context.merchantId, subprocessor.id))) {
      return denied('merchant_objected', `subprocessor:${subprocessor.id}`)
    }
    return { allowed: true, activities: purpose.activities, subprocessorId: subprocessor.id }
  }

  /** The verdict; a denial is recorded in the audit chain (ids and codes only). */
  async check(
    context: GuardContext,
    options: { actor?: AuditActor; trx?: TransactionClientContract } = {}
  ): Promise<GuardVerdict> {
    const verdict = await this.evaluate(context)
    if (!verdict.allowed) {
      await auditTrail.record(
        {
          action: GUARD_DENIED_ACTION,
          outcome: 'denied',
          actor: options.actor,
          merchantId: context.merchantId,
          purpose: context.purpose,
          target: context.conversationId
            ? { type: 'conversation', id: context.conversationId }
            : undefined,
          meta: {
            reason: verdict.reason,
            detail: verdict.detail,
            destination:
              context.destination.kind === 'in_process' ? 'in_process' : context.destination.code,
            categories: context.categories,
            customerId: context.customer?.id ?? null,
          },
        },
        options.trx
      )
    }
    return verdict
  }
}

const purposeGuard = new PurposeGuard()
export default purposeGuard
