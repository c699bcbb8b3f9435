import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type {
  Intent,
  LocalizedText,
  MerchantInstructions,
  PaymentMethod,
  Product,
  ReplyLanguage,
} from '#conversations/ai/types'

type Policies = MerchantInstructions['policies']

const json = { prepare: (value: unknown) => (value === null ? null : JSON.stringify(value)) }

/**
 * A merchant's instructions to the AI (edited in the portal): products with prices, the
 * returns, delivery and payment policies, tone, reply languages and escalation rules.
 * `toInstructions(businessName)` gives the gateway's `MerchantInstructions`.
 */
export default class MerchantAiInstruction extends BaseModel {
  static table = 'merchant_ai_instructions'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare merchantId: number

  @column(json)
  declare products: Product[]

  @column(json)
  declare returnsPolicy: { windowDays: number; note?: LocalizedText | null } | null

  @column(json)
  declare deliveryPolicy: NonNullable<Policies['delivery']> | null

  @column(json)
  declare paymentPolicy: { methods: PaymentMethod[]; note?: LocalizedText | null } | null

  @column()
  declare tone: 'friendly' | 'formal'

  @column(json)
  declare languages: ReplyLanguage[]

  @column(json)
  declare escalationRules: { intents?: Intent[]; keywords?: string[]; minConfidence?: number }

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  toInstructions(businessName: string): MerchantInstructions {
    return {
      businessName,
      products: this.products ?? [],
      policies: {
        returns: this.returnsPolicy,
        delivery: this.deliveryPolicy,
        payment: this.paymentPolicy,
      },
      tone: this.tone,
      languages: this.languages?.length ? this.languages : ['ar', 'en'],
      escalation: this.escalationRules ?? {},
    }
  }
}
