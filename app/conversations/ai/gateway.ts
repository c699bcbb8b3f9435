/*
 * The AI gateway: the one door to intent classification and reply drafting. It minimises the
 * text before the provider sees it, applies the special-intent rules the router must honour
 * (opt-out, data-rights request, suspected minor, human request, complaint, low confidence,
 * the merchant's escalation rules) and returns what the AI-processing log needs in `meta`.
 * The purpose guard runs before `process()`; the worker logs after it.
 */
import { minimize } from '#conversations/ai/minimization'
import { LocalProvider } from '#conversations/ai/providers/local_provider'
import {
  OpenAiProvider,
  ProviderFailure,
  type OpenAiSettings,
} from '#conversations/ai/providers/openai_provider'
import type { AiProvider, ProviderOutput } from '#conversations/ai/providers/provider'
import { dataRightsAcknowledgement, handoff } from '#conversations/ai/replies'
import { detectSignals } from '#conversations/ai/special_intents'
import { detectLanguage, normalize, replyLanguageFor } from '#conversations/ai/text'
import type {
  AiRequest,
  AiResult,
  Decision,
  Intent,
  Language,
  MerchantInstructions,
  ProviderName,
  ReplyLanguage,
} from '#conversations/ai/types'

export const AI_PURPOSE = 'service.ai_assistance' as const
const DEFAULT_ESCALATION_INTENTS: Intent[] = ['complaint', 'human_request']
const DEFAULT_MIN_CONFIDENCE = 0.5

export interface GatewayOptions {
  provider: ProviderName
  openai?: OpenAiSettings
}

function replyLanguage(
  text: string,
  language: Language,
  instructions: MerchantInstructions
): ReplyLanguage {
  const wanted = replyLanguageFor(text, language)
  const allowed = instructions.languages.length ? instructions.languages : ['en' as const]
  return allowed.includes(wanted) ? wanted : allowed[0]
}

export class AiGateway {
  static readonly PURPOSE = AI_PURPOSE
  private readonly implementation: AiProvider

  constructor(options: GatewayOptions) {
    if (options.provider === 'openai') {
      if (!options.openai?.apiKey) throw new Error('The openai provider needs OPENAI_API_KEY')
      this.implementation = new OpenAiProvider(options.openai)
    } else {
      this.implementation = new LocalProvider()
    }
  }

  /** Where the text goes: `local` stays in-process, `openai` is the OpenAI subprocessor. */
  get provider(): ProviderName {
    return this.implementation.name
  }

  async process(request: AiRequest): Promise<AiResult> {
    const started = performance.now()
    const { instructions } = request
    const minimized = minimize(request.text)
    let redactions = minimized.redactions
    const turns = request.turns.map((turn) => {
      const earlier = minimize(turn.text)
      redactions += earlier.redactions
      return { direction: turn.direction, text: earlier.text }
    })
    const text = minimized.text
    const language = detectLanguage(text)
    const replyIn = replyLanguage(text, language, instructions)
    const rules = detectSignals(text)

    let output: ProviderOutput | null = null
    let error: string | null = null
    try {
      output = await this.implementation.analyse({
        text,
        turns,
        instructions,
        language,
        replyLanguage: replyIn,
      })
    } catch (failure) {
      error = failure instanceof ProviderFailure ? failure.code : 'provider_error'
    }

    let intent: Intent = output?.intent ?? 'other'
    let confidence = output?.confidence ?? 0
    // The rules win for the intents that change what the hub may do at all
    if (rules.optOut) [intent, confidence] = ['opt_out', Math.max(confidence, 0.95)]
    else if (rules.dataRightsRequest)
      [intent, confidence] = ['data_rights_request', Math.max(confidence, 0.95)]

    const minConfidence = instructions.escalation.minConfidence ?? DEFAULT_MIN_CONFIDENCE
    // Both may hold ("remove my number from your list"): the decision follows the priority, and
    // the router can still act on every signal
    const signals = {
      optOut: rules.optOut || intent === 'opt_out',
      dataRightsRequest: rules.dataRightsRequest || intent === 'data_rights_request',
      suspectedMinor: rules.suspectedMinor,
      humanRequest: rules.humanRequest || intent === 'human_request',
      complaint: rules.complaint || intent === 'complaint',
      lowConfidence: output !== null && confidence < minConfidence,
    }
    const decision = this.decide(intent, signals, output, error, text, instructions, replyIn)
    return {
      classification: {
        intent,
        confidence: Math.round(confidence * 1000) / 1000,
        language,
        entities: output?.entities ?? {
          products: [],
          orderNumber: null,
          city: null,
          address: null,
        },
        signals,
      },
      decision,
      meta: {
        provider: this.implementation.name,
        model: this.implementation.model,
        purpose: AI_PURPOSE,
        redactions,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        outcome: error ? 'error' : decision.kind === 'handoff' ? 'handoff' : 'ok',
        error,
      },
    }
  }

  private decide(
    intent: Intent,
    signals: AiResult['classification']['signals'],
    output: ProviderOutput | null,
    error: string | null,
    text: string,
    instructions: MerchantInstructions,
    language: ReplyLanguage
  ): Decision {
    if (signals.optOut) return { kind: 'opt_out' }
    if (signals.dataRightsRequest) return dataRightsAcknowledgement(instructions, language)
    if (signals.suspectedMinor) return handoff('suspected_minor', null, instructions, language)
    if (!output) return handoff('ai_failure', error, instructions, language)
    if (signals.humanRequest) return handoff('human_request', null, instructions, language)
    if (signals.complaint) return handoff('complaint', null, instructions, language)
    const escalated = instructions.escalation.intents ?? DEFAULT_ESCALATION_INTENTS
    if (escalated.includes(intent))
      return handoff('merchant_rule', `intent:${intent}`, instructions, language)
    const normalized = normalize(text)
    const keyword = (instructions.escalation.keywords ?? []).find(
      (word) => normalize(word) && normalized.includes(normalize(word))
    )
    if (keyword) return handoff('merchant_rule', `keyword:${keyword}`, instructions, language)
    if (signals.lowConfidence) return handoff('low_confidence', null, instructions, language)
    return output.draft
  }
}

let configured: AiGateway | undefined

/** The gateway for this process, from AI_PROVIDER and the OPENAI_* variables. */
export async function aiGateway() {
  if (!configured) {
    const { default: env } = await import('#start/env')
    const apiKey = env.get('OPENAI_API_KEY')
    // OpenAI only when asked for and a key exists; otherwise the offline provider
    const useOpenAi = env.get('AI_PROVIDER', 'local') === 'openai' && Boolean(apiKey)
    configured = new AiGateway(
      useOpenAi
        ? {
            provider: 'openai',
            openai: {
              apiKey: apiKey!,
              baseURL: env.get('OPENAI_BASE_URL') || undefined,
              model: env.get('OPENAI_MODEL', 'gpt-4o-mini'),
              timeoutMs: env.get('OPENAI_TIMEOUT_MS'),
            },
          }
        : { provider: 'local' }
    )
  }
  return configured
}
