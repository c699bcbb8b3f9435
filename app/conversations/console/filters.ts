import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { isoDay, optionalId } from '#core/validators/fields'
import { AI_LOG_OUTCOMES } from '#conversations/processing/ai_processing_log'
import { GUARD_DENIAL_REASONS } from '#conversations/guards/purpose_guard'
import { NOT_SENT_REASONS, OUTBOUND_STATES } from '#conversations/outbox/outbound_message'

/** The console's conversation lists; every filter optional, combined with AND. */
export const channelFilterValidator = vine.compile(
  vine.object({
    merchant: optionalId(),
    channel: vine.enum(['whatsapp', 'instagram'] as const).optional(),
    status: vine.enum(['active', 'disconnected'] as const).optional(),
    ...pageQuery,
  })
)

export const unroutableFilterValidator = vine.compile(
  vine.object({
    object: vine.enum(['whatsapp_business_account', 'instagram'] as const).optional(),
    ...pageQuery,
  })
)

export const aiLogFilterValidator = vine.compile(
  vine.object({
    merchant: optionalId(),
    outcome: vine.enum(AI_LOG_OUTCOMES).optional(),
    provider: vine.enum(['local', 'openai'] as const).optional(),
    from: isoDay().optional(),
    to: isoDay().afterOrSameAs('from').optional(),
    ...pageQuery,
  })
)

export const guardDenialFilterValidator = vine.compile(
  vine.object({
    merchant: optionalId(),
    reason: vine.enum(GUARD_DENIAL_REASONS).optional(),
    from: isoDay().optional(),
    to: isoDay().afterOrSameAs('from').optional(),
    ...pageQuery,
  })
)

export const outboxFilterValidator = vine.compile(
  vine.object({
    merchant: optionalId(),
    state: vine.enum(OUTBOUND_STATES).optional(),
    reason: vine.enum(NOT_SENT_REASONS).optional(),
    ...pageQuery,
  })
)

export const overviewFilterValidator = vine.compile(
  vine.object({
    merchant: optionalId(),
    days: vine.number().withoutDecimals().min(1).max(366).optional(),
  })
)
