import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { OBJECTION_OUTCOMES } from '#vendors/models/objection'

export const objectionValidator = vine.compile(
  vine.object({
    reason: vine.string().trim().minLength(10).maxLength(4000),
  })
)

export const resolveObjectionValidator = vine.compile(
  vine.object({
    outcome: vine.enum(OBJECTION_OUTCOMES),
    note: vine.string().trim().minLength(5).maxLength(4000),
  })
)

export const objectionFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    /* `any` asks for every status (an empty choice would be dropped as no filter). */
    status: vine.enum(['any', 'open', ...OBJECTION_OUTCOMES] as const).optional(),
  })
)

/** RFC draft `Idempotency-Key`: an opaque client string; absent means no replay protection. */
export const idempotencyValidator = vine.compile(
  vine.object({
    idempotencyKey: vine
      .string()
      .trim()
      .regex(/^[\x21-\x7e]{1,128}$/)
      .optional(),
  })
)
