/*
 * The AI gateway's contract with the conversation worker. The worker runs the purpose guard
 * before `process()` and writes the AI-processing log from `meta` after it; nothing in this folder
 * reads or writes the database.
 */

export const INTENTS = [
  'greeting',
  'product_inquiry',
  'price_inquiry',
  'order_placement',
  'order_status',
  'delivery',
  'return_refund',
  'payment',
  'complaint',
  'human_request',
  'opt_out',
  'data_rights_request',
  'other',
] as const
export type Intent = (typeof INTENTS)[number]

export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && (INTENTS as readonly string[]).includes(value)
}

/** How the customer wrote: Arabic script, English, Arabic in Latin letters, or a mix. */
export type Language = 'en' | 'ar' | 'franco' | 'mixed'
/** The languages replies are written in. */
export type ReplyLanguage = 'en' | 'ar'

export interface ConversationTurn {
  direction: 'inbound' | 'outbound'
  text: string
}

export type LocalizedText = { en?: string | null; ar?: string | null }

export interface Product {
  name: string
  nameAr?: string | null
  aliases?: string[]
  price?: number | null
  /** ISO 4217; EGP when absent */
  currency?: string
  available?: boolean
}

export const PAYMENT_METHODS = [
  'cash_on_delivery',
  'card',
  'instapay',
  'vodafone_cash',
  'bank_transfer',
  'fawry',
] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

export interface MerchantInstructions {
  businessName: string
  products: Product[]
  policies: {
    returns?: { windowDays: number; note?: LocalizedText | null } | null
    delivery?: {
      minDays: number
      maxDays: number
      feeEgp?: number | null
      freeAboveEgp?: number | null
      /** Canonical English city names; empty or absent means all of Egypt */
      cities?: string[]
      note?: LocalizedText | null
    } | null
    payment?: { methods: PaymentMethod[]; note?: LocalizedText | null } | null
  }
  tone: 'friendly' | 'formal'
  /** Languages the merchant lets the AI reply in; the first is the fallback. */
  languages: ReplyLanguage[]
  escalation: {
    /** Intents always handed to a human (default: complaint, human_request) */
    intents?: Intent[]
    /** A message containing one of these goes to a human (the merchant's own rule) */
    keywords?: string[]
    /** Below this confidence the conversation goes to a human (default 0.5) */
    minConfidence?: number
  }
}

export interface ProductMention {
  name: string
  quantity: number | null
}

export interface Entities {
  products: ProductMention[]
  orderNumber: string | null
  /** Canonical English name of an Egyptian city or governorate */
  city: string | null
  address: string | null
}

export interface Signals {
  optOut: boolean
  dataRightsRequest: boolean
  suspectedMinor: { age: number } | null
  humanRequest: boolean
  complaint: boolean
  lowConfidence: boolean
}

export interface Classification {
  intent: Intent
  confidence: number
  language: Language
  entities: Entities
  signals: Signals
}

export const HANDOFF_REASONS = [
  'human_request',
  'complaint',
  'low_confidence',
  'suspected_minor',
  'merchant_rule',
  'instruction_missing',
  'ai_failure',
] as const
export type HandoffReason = (typeof HANDOFF_REASONS)[number]

export type Decision =
  | { kind: 'reply'; text: string; language: ReplyLanguage }
  | {
      kind: 'handoff'
      reason: HandoffReason
      /** What was missing or which rule fired, for the agents; never message content */
      detail: string | null
      /** A holding message in the customer's language; the router decides whether to send it */
      notice: string
      language: ReplyLanguage
    }
  | { kind: 'opt_out' }
  | { kind: 'data_rights_request'; text: string; language: ReplyLanguage }

export type ProviderName = 'local' | 'openai'

export interface AiMeta {
  provider: ProviderName
  model: string
  purpose: 'service.ai_assistance'
  redactions: number
  latencyMs: number
  outcome: 'ok' | 'handoff' | 'error'
  /** A short error code when the provider failed; never message content */
  error: string | null
}

export interface AiRequest {
  text: string
  turns: ConversationTurn[]
  instructions: MerchantInstructions
}

export interface AiResult {
  classification: Classification
  decision: Decision
  meta: AiMeta
}
