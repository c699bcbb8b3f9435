import type {
  ConversationTurn,
  Decision,
  Entities,
  Intent,
  Language,
  MerchantInstructions,
  ProviderName,
  ReplyLanguage,
} from '#conversations/ai/types'

/** What the gateway hands a provider: already minimised text, never raw identifiers. */
export interface ProviderInput {
  text: string
  turns: ConversationTurn[]
  instructions: MerchantInstructions
  language: Language
  replyLanguage: ReplyLanguage
}

export interface ProviderOutput {
  intent: Intent
  confidence: number
  entities: Entities
  /** The provider's reply or handoff for this intent; special intents are decided by the gateway */
  draft: Decision
}

export interface AiProvider {
  readonly name: ProviderName
  readonly model: string
  analyse(input: ProviderInput): Promise<ProviderOutput>
}
