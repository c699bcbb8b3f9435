import type Message from '#conversations/models/message'
import { AI_PURPOSE } from '#conversations/ai/gateway'
import type { AiResult } from '#conversations/ai/types'
import AiProcessingLog from '#conversations/processing/ai_processing_log'

/**
 * The AI-processing log: a row for every AI call, from the gateway's `meta` (provider, model,
 * purpose, redactions, latency, outcome), and for every call the guard refused. Ids and codes only.
 */
export class AiProcessingLogService {
  recordCall(input: { message: Message; result: AiResult; subprocessorId: number | null }) {
    const { message, result } = input
    return AiProcessingLog.create({
      merchantId: message.merchantId,
      conversationId: message.conversationId,
      messageId: message.id,
      customerId: message.customerId,
      purpose: result.meta.purpose,
      provider: result.meta.provider,
      model: result.meta.model,
      subprocessorId: input.subprocessorId,
      redactions: result.meta.redactions,
      outcome: result.meta.outcome,
      intent: result.classification.intent,
      decision: result.decision.kind,
      errorCode: result.meta.error,
      latencyMs: result.meta.latencyMs,
    })
  }

  /** The guard refused: no text left the hub, but the attempt is evidence too. */
  recordDenial(input: { message: Message; provider: string; reason: string }) {
    const { message } = input
    return AiProcessingLog.create({
      merchantId: message.merchantId,
      conversationId: message.conversationId,
      messageId: message.id,
      customerId: message.customerId,
      purpose: AI_PURPOSE,
      provider: input.provider,
      model: '-',
      subprocessorId: null,
      redactions: 0,
      outcome: 'denied',
      intent: null,
      decision: 'handoff',
      errorCode: input.reason,
      latencyMs: 0,
    })
  }
}

const aiProcessingLog = new AiProcessingLogService()
export default aiProcessingLog
