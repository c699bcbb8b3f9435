import vine from '@vinejs/vine'

export const createApiTokenValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(100),
    scopes: vine.array(vine.string().trim()).minLength(1).distinct(),
    expiresInDays: vine.number().withoutDecimals().range([1, 365]),
  })
)
