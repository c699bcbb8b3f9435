import { FieldInvalid } from '#core/errors'
import { saveAudited } from '#audit/services/audited_write'
import MerchantAiInstruction from '#conversations/models/merchant_ai_instruction'
import type { Product } from '#conversations/ai/types'
import type { AiInstructionsInput } from '#conversations/inbox/ai_instructions_validator'

const MAX_PRODUCTS = 500

/** "Name | price" per line; the price may be left out, never invented. */
export function parseProducts(text: string | undefined): Product[] {
  const lines = (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  if (lines.length > MAX_PRODUCTS) {
    throw new FieldInvalid(
      'products',
      `List at most ${MAX_PRODUCTS} products`,
      'conversations_too_many_products'
    )
  }
  return lines.map((line, index) => {
    const [name, price, ...rest] = line.split('|').map((part) => part.trim())
    if (!name || name.length > 200 || rest.length > 1) {
      throw new FieldInvalid(
        'products',
        `Line ${index + 1}: write one product per line as "Name | price", for example "Cotton T-shirt | 350"`,
        'conversations_product_line_format'
      )
    }
    const currency = (rest[0] || 'EGP').toUpperCase()
    if (price === undefined || price === '') return { name, price: null, currency }
    const amount = Number(price.replace(/,/g, ''))
    if (!Number.isFinite(amount) || amount < 0 || !/^[A-Z]{3}$/.test(currency)) {
      throw new FieldInvalid(
        'products',
        `Line ${index + 1}: "${price}" is not a price; write a number such as 350 or 1,250.50`,
        'conversations_product_price_format'
      )
    }
    return { name, price: amount, currency }
  })
}

export function productsText(products: Product[]) {
  return products
    .map((p) =>
      [p.name, p.price ?? '', p.currency && p.currency !== 'EGP' ? p.currency : '']
        .filter((part, index) => index === 0 || part !== '')
        .join(' | ')
    )
    .join('\n')
}

/** The merchant's instructions to the AI; the one row per merchant is created on first save. */
export class AiInstructions {
  forMerchant(merchantId: number) {
    return MerchantAiInstruction.findBy('merchantId', merchantId)
  }

  async save(merchantId: number, input: AiInstructionsInput) {
    if (
      input.deliveryMinDays !== undefined &&
      input.deliveryMaxDays !== undefined &&
      input.deliveryMaxDays < input.deliveryMinDays
    ) {
      throw new FieldInvalid(
        'deliveryMaxDays',
        'The slowest delivery time cannot be shorter than the fastest',
        'conversations_delivery_max_below_min'
      )
    }
    const row = (await this.forMerchant(merchantId)) ?? new MerchantAiInstruction()
    const en = (text: string | undefined) => (text ? { en: text } : null)
    row.merge({
      merchantId,
      products: parseProducts(input.products),
      returnsPolicy:
        input.returnsWindowDays !== undefined
          ? { windowDays: input.returnsWindowDays, note: en(input.returnsNote) }
          : null,
      deliveryPolicy:
        input.deliveryMinDays !== undefined && input.deliveryMaxDays !== undefined
          ? {
              minDays: input.deliveryMinDays,
              maxDays: input.deliveryMaxDays,
              feeEgp: input.deliveryFeeEgp ?? null,
              freeAboveEgp: input.deliveryFreeAboveEgp ?? null,
              cities: input.deliveryCities,
              note: en(input.deliveryNote),
            }
          : null,
      paymentPolicy: input.paymentMethods.length
        ? { methods: input.paymentMethods, note: en(input.paymentNote) }
        : null,
      tone: input.tone,
      languages: input.languages,
      escalationRules: {
        intents: input.escalationIntents,
        keywords: input.escalationKeywords,
        ...(input.minConfidence !== undefined ? { minConfidence: input.minConfidence } : {}),
      },
    })
    return saveAudited(row, {
      action: 'conversations.ai_instructions.save',
      targetType: 'merchant_ai_instruction',
      merchantId,
      meta: { products: row.products.length },
    })
  }
}

const aiInstructions = new AiInstructions()
export default aiInstructions
