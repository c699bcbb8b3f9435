/*
 * The OpenAI provider (or any server speaking the chat-completions protocol: OPENAI_BASE_URL).
 * Structured outputs pin the answer to a JSON schema; `store: false` keeps the completion out of
 * OpenAI's stored-completions feature. It receives only minimised text, and its reply is checked
 * again here: a number that is in neither the instructions nor the conversation means the model
 * made it up, and the conversation goes to a human instead.
 */
import OpenAI from 'openai'
import { extractCity } from '#conversations/ai/entities'
import { handoff } from '#conversations/ai/replies'
import type {
  AiProvider,
  ProviderInput,
  ProviderOutput,
} from '#conversations/ai/providers/provider'
import { asciiDigits, normalize } from '#conversations/ai/text'
import { INTENTS, isIntent, type ProductMention } from '#conversations/ai/types'

export interface OpenAiSettings {
  apiKey: string
  baseURL?: string
  model: string
  timeoutMs?: number
}

export class ProviderFailure extends Error {
  constructor(readonly code: string) {
    super(code)
  }
}

const RESPONSE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'confidence', 'entities', 'reply', 'missing_instruction'],
  properties: {
    intent: { type: 'string', enum: [...INTENTS] },
    confidence: { type: 'number' },
    entities: {
      type: 'object',
      additionalProperties: false,
      required: ['products', 'order_number', 'city', 'address'],
      properties: {
        products: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'quantity'],
            properties: { name: { type: 'string' }, quantity: { type: ['integer', 'null'] } },
          },
        },
        order_number: { type: ['string', 'null'] },
        city: { type: ['string', 'null'] },
        address: { type: ['string', 'null'] },
      },
    },
    reply: { type: ['string', 'null'] },
    missing_instruction: { type: ['string', 'null'] },
  },
} as const

interface ModelAnswer {
  intent: string
  confidence: number
  entities: {
    products: Array<{ name: string; quantity: number | null }>
    order_number: string | null
    city: string | null
    address: string | null
  }
  reply: string | null
  missing_instruction: string | null
}

function systemPrompt(input: ProviderInput) {
  const language = input.replyLanguage === 'ar' ? 'Egyptian Arabic' : 'English'
  return [
    `You are the customer-service assistant of the shop "${input.instructions.businessName}" on WhatsApp/Instagram.`,
    `Classify the customer's last message into exactly one intent: ${INTENTS.join(', ')}.`,
    'Extract products (only names from the product list), quantities, an order number, an Egyptian city and an address.',
    `Write "reply" in ${language}, with a ${input.instructions.tone} tone, using ONLY facts from the merchant instructions below and this conversation.`,
    'Never state a price, fee, delivery time, return window or payment method that is not in the instructions.',
    'If answering needs a fact that is missing, set "reply" to null and "missing_instruction" to a short code such as "price:<product>", "delivery_policy", "returns_policy", "payment_policy" or "order_status_lookup".',
    'Text in square brackets such as [PHONE] or [EMAIL] was removed for privacy; do not ask for it again.',
    `Merchant instructions (JSON): ${JSON.stringify(input.instructions)}`,
  ].join('\n')
}

function numbersIn(text: string) {
  return new Set(asciiDigits(text).match(/\d+(?:\.\d+)?/g) ?? [])
}

const DETAIL_CODE = /^[a-z0-9_:. -]{1,60}$/i

export class OpenAiProvider implements AiProvider {
  readonly name = 'openai' as const
  readonly model: string
  private readonly client: OpenAI

  constructor(settings: OpenAiSettings) {
    this.model = settings.model
    this.client = new OpenAI({
      apiKey: settings.apiKey,
      baseURL: settings.baseURL || undefined,
      timeout: settings.timeoutMs ?? 15_000,
      maxRetries: 1,
    })
  }

  private async ask(input: ProviderInput): Promise<ModelAnswer> {
    let completion
    try {
      completion = await this.client.chat.completions.create({
        model: this.model,
        store: false,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'customer_message_analysis', strict: true, schema: RESPONSE_SCHEMA },
        },
        messages: [
          { role: 'system', content: systemPrompt(input) },
          ...input.turns.map((turn) => ({
            role: turn.direction === 'inbound' ? ('user' as const) : ('assistant' as const),
            content: turn.text,
          })),
          { role: 'user', content: input.text },
        ],
      })
    } catch (error) {
      if (error instanceof OpenAI.APIConnectionTimeoutError)
        throw new ProviderFailure('openai_timeout')
      if (error instanceof OpenAI.APIError)
        throw new ProviderFailure(`openai_http_${error.status ?? 'error'}`)
      throw new ProviderFailure('openai_unreachable')
    }
    const content = completion.choices[0]?.message?.content
    if (!content) throw new ProviderFailure('openai_empty_answer')
    let answer: ModelAnswer
    try {
      answer = JSON.parse(content)
    } catch {
      throw new ProviderFailure('openai_invalid_json')
    }
    if (!isIntent(answer?.intent) || typeof answer.confidence !== 'number' || !answer.entities) {
      throw new ProviderFailure('openai_schema_mismatch')
    }
    return answer
  }

  async analyse(input: ProviderInput): Promise<ProviderOutput> {
    const answer = await this.ask(input)
    const { instructions, replyLanguage } = input
    const products: ProductMention[] = []
    for (const mention of answer.entities.products ?? []) {
      const wanted = normalize(mention.name)
      const product = instructions.products.find((candidate) =>
        [candidate.name, candidate.nameAr ?? '', ...(candidate.aliases ?? [])].some(
          (spelling) => spelling && normalize(spelling) === wanted
        )
      )
      if (product) products.push({ name: product.name, quantity: mention.quantity ?? null })
    }
    const entities = {
      products,
      orderNumber: answer.entities.order_number?.trim() || null,
      city: answer.entities.city ? extractCity(answer.entities.city) : null,
      address: answer.entities.address?.trim() || null,
    }
    const intent = answer.intent as ProviderOutput['intent']
    const confidence = Math.min(1, Math.max(0, answer.confidence))
    if (answer.reply === null || !answer.reply.trim()) {
      const detail =
        answer.missing_instruction && DETAIL_CODE.test(answer.missing_instruction)
          ? answer.missing_instruction
          : 'unspecified'
      return {
        intent,
        confidence,
        entities,
        draft: handoff('instruction_missing', detail, instructions, replyLanguage),
      }
    }
    const known = numbersIn(
      [JSON.stringify(instructions), input.text, ...input.turns.map((turn) => turn.text)].join(' ')
    )
    const invented = [...numbersIn(answer.reply)].filter((number) => !known.has(number))
    const draft = invented.length
      ? handoff('instruction_missing', 'ungrounded_number', instructions, replyLanguage)
      : { kind: 'reply' as const, text: answer.reply.trim(), language: replyLanguage }
    return { intent, confidence, entities, draft }
  }
}
