import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { ConsoleMessagesProvider } from '#core/validation_messages'

export const inboxFilterValidator = vine.compile(
  vine.object({
    mode: vine.enum(['human', 'ai', 'any'] as const).optional(),
    ...pageQuery,
  })
)

/** WhatsApp allows 4096 characters in a text message; Instagram 1000. */
export const agentReplyValidator = vine.compile(
  vine.object({
    text: vine.string().trim().minLength(1).maxLength(1000),
  })
)
agentReplyValidator.messagesProvider = new ConsoleMessagesProvider({
  'text.required': 'Write a reply before sending',
  'text.maxLength': 'A reply can be at most {{ max }} characters (Instagram’s limit)',
})
