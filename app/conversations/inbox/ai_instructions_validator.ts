import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { choiceList, lineList } from '#core/validators/fields'
import { ConsoleMessagesProvider } from '#core/validation_messages'
import { INTENTS, PAYMENT_METHODS } from '#conversations/ai/types'

const days = () => vine.number().withoutDecimals().min(0).max(365).optional()
const money = () => vine.number().min(0).max(10_000_000).optional()
const note = () => vine.string().trim().maxLength(1000).optional()

/**
 * The merchant's instructions to the AI, as the portal form posts them. Products are one per line,
 * "Name | price" (price optional: the AI then hands price questions to a human), parsed and
 * checked line by line in the service.
 */
export const aiInstructionsValidator = vine.compile(
  vine.object({
    products: vine.string().trim().maxLength(20_000).optional(),
    returnsWindowDays: days(),
    returnsNote: note(),
    deliveryMinDays: days().requiredIfExists('deliveryMaxDays'),
    deliveryMaxDays: days().requiredIfExists('deliveryMinDays'),
    deliveryFeeEgp: money(),
    deliveryFreeAboveEgp: money(),
    deliveryCities: lineList(),
    deliveryNote: note(),
    paymentMethods: choiceList(PAYMENT_METHODS),
    paymentNote: note(),
    tone: vine.enum(['friendly', 'formal'] as const),
    languages: choiceList(['ar', 'en'] as const).minLength(1),
    escalationIntents: choiceList(INTENTS),
    escalationKeywords: lineList(),
    minConfidence: vine.number().min(0).max(1).optional(),
  })
)
aiInstructionsValidator.messagesProvider = new ConsoleMessagesProvider({
  'languages.array.minLength': 'Choose at least one language for replies',
  'deliveryMinDays.requiredIfExists': 'Give the fastest delivery time too',
  'deliveryMaxDays.requiredIfExists': 'Give the slowest delivery time too',
})

export type AiInstructionsInput = Infer<typeof aiInstructionsValidator>
