/*
 * The default, offline provider: the shipped classifier, the rule-based entity extractor and the
 * reply templates. Nothing leaves the process.
 */
import { sharedIntentModel } from '#conversations/ai/corpus'
import { extractEntities, extractOrderNumber, extractProducts } from '#conversations/ai/entities'
import type {
  AiProvider,
  ProviderInput,
  ProviderOutput,
} from '#conversations/ai/providers/provider'
import { draftReply } from '#conversations/ai/replies'
import type { ProductMention } from '#conversations/ai/types'

/* How many earlier customer turns may supply a product or an order number ("how much is it?") */
const CONTEXT_TURNS = 4

export class LocalProvider implements AiProvider {
  readonly name = 'local' as const
  model = 'local-intent-lr'

  async analyse(input: ProviderInput): Promise<ProviderOutput> {
    const loaded = await sharedIntentModel()
    this.model = `local-intent-lr@${loaded.hash.slice(0, 12)}`
    const [best] = loaded.model.predict(input.text)
    const entities = extractEntities(input.text, input.instructions.products)
    const earlier = input.turns
      .filter((turn) => turn.direction === 'inbound')
      .slice(-CONTEXT_TURNS)
      .reverse()
    let earlierProducts: ProductMention[] = []
    let earlierOrderNumber: string | null = null
    for (const turn of earlier) {
      if (!earlierProducts.length)
        earlierProducts = extractProducts(turn.text, input.instructions.products)
      earlierOrderNumber ??= extractOrderNumber(turn.text)
    }
    const draft = draftReply(best.intent, {
      instructions: input.instructions,
      language: input.replyLanguage,
      entities,
      earlierProducts,
      earlierOrderNumber,
    })
    return { intent: best.intent, confidence: best.probability, entities, draft }
  }
}
