import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { optionalId } from '#core/validators/fields'

const day = () => vine.date({ formats: ['YYYY-MM-DD'] })

/** Filters of the audit trail browser; every one optional, all combined with AND. */
export const auditEventFilterValidator = vine.compile(
  vine.object({
    action: vine.string().trim().maxLength(80).optional(),
    outcome: vine.enum(['success', 'denied', 'failure'] as const).optional(),
    actorType: vine.enum(['user', 'token', 'service', 'system', 'anonymous'] as const).optional(),
    actorId: vine.string().trim().maxLength(64).optional(),
    // A person picked by name: their events as a user, never a token's with the same number
    user: optionalId(),
    merchant: vine.string().trim().maxLength(64).optional(),
    from: day().optional(),
    to: day().afterOrSameAs('from').optional(),
    ...pageQuery,
  })
)
