import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { isoDay, optionalId } from '#core/validators/fields'
import { HOLD_SCOPES, HOLD_SOURCES } from '#dsr/models/legal_hold'

export const holdValidator = vine.compile(
  vine.object({
    scope: vine.enum(HOLD_SCOPES),
    merchantId: vine.number().positive().withoutDecimals(),
    customerId: optionalId().requiredWhen('scope', '=', 'subject'),
    reason: vine.string().trim().minLength(5).maxLength(2000),
    source: vine.enum(HOLD_SOURCES),
    sourceRef: vine.string().trim().maxLength(120).optional(),
    // Today at the latest: a hold that ends before it starts is refused next to the field
    expiresOn: isoDay().afterOrEqual('today').optional(),
  })
)

export const liftRequestValidator = vine.compile(
  vine.object({ reason: vine.string().trim().minLength(5).maxLength(2000) })
)

export const holdFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    state: vine.enum(['active', 'lifted', 'any'] as const).optional(),
    merchantId: optionalId(),
  })
)
