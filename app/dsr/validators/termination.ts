import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { optionalId } from '#core/validators/fields'
import { TERMINATION_STATUSES } from '#dsr/models/merchant_termination'

export const TERMINATION_CHOICES = ['return', 'delete'] as const

/** A merchant ends its service: `return` (a full package first) or `delete`. */
export const terminationRequestValidator = vine.compile(
  vine.object({
    choice: vine.enum(TERMINATION_CHOICES),
  })
)

/** The staff list: `awaiting_staff` (the default), `any`, or one status; a merchant by id. */
export const terminationFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    status: vine.enum(['awaiting_staff', 'any', ...TERMINATION_STATUSES] as const).optional(),
    merchantId: optionalId(),
  })
)
