import vine from '@vinejs/vine'
import { TOKEN_LIST_STATUSES } from '#access/services/api_tokens'
import { pageQuery } from '#core/pagination'
import { ConsoleMessagesProvider } from '#core/validation_messages'

export const createApiTokenValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(100),
    scopes: vine.array(vine.string().trim()).minLength(1).distinct(),
    expiresInDays: vine.number().withoutDecimals().range([1, 365]),
  })
)
createApiTokenValidator.messagesProvider = new ConsoleMessagesProvider({
  'expiresInDays.range': 'Expiry must be between {{ min }} and {{ max }} days.',
  'scopes.array.minLength': 'Scopes: choose at least one.',
})

export const listApiTokensValidator = vine.compile(
  vine.object({
    ...pageQuery,
    status: vine.enum(TOKEN_LIST_STATUSES).optional(),
  })
)
