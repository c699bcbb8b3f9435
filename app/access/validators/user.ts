import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'

export const userListValidator = vine.compile(
  vine.object({
    ...pageQuery,
    q: vine.string().trim().maxLength(100).optional(),
    kind: vine.enum(['staff', 'merchant']).optional(),
    merchantId: vine.number().positive().withoutDecimals().optional(),
    role: vine.string().trim().maxLength(40).optional(),
    status: vine.enum(['active', 'disabled']).optional(),
  })
)

export const createUserValidator = vine.compile(
  vine.object({
    fullName: vine.string().trim().minLength(2).maxLength(200),
    email: vine.string().trim().email().maxLength(254).normalizeEmail({ all_lowercase: true }),
    kind: vine.enum(['staff', 'merchant']),
    merchantId: vine
      .number()
      .positive()
      .withoutDecimals()
      .optional()
      .requiredWhen('kind', '=', 'merchant'),
    role: vine.string().trim().maxLength(40),
    password: vine.string().minLength(12).maxLength(200),
  })
)

export const roleChangeValidator = vine.compile(
  vine.object({
    role: vine.string().trim().maxLength(40),
  })
)
