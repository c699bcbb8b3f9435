import vine from '@vinejs/vine'
import { TOKEN_STATUSES } from '#access/models/api_token'
import { pageQuery } from '#core/pagination'

export const createApiTokenValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(100),
    scopes: vine.array(vine.string().trim()).minLength(1).distinct(),
    expiresInDays: vine.number().withoutDecimals().range([1, 365]),
  })
)

export const listApiTokensValidator = vine.compile(
  vine.object({
    ...pageQuery,
    status: vine.enum(TOKEN_STATUSES).optional(),
  })
)
