import type { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
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

export interface AiLogScope {
  merchantId?: number
  from?: DateTime
  /** Exclusive. */
  to?: DateTime
}

/** Filters shared by the console list, the charts and the report. */
export function aiLogQuery(scope: AiLogScope) {
  const query = AiProcessingLog.query()
  if (scope.merchantId) query.where('ai_processing_logs.merchant_id', scope.merchantId)
  if (scope.from) query.where('ai_processing_logs.created_at', '>=', scope.from.toSQL()!)
  if (scope.to) query.where('ai_processing_logs.created_at', '<', scope.to.toSQL()!)
  return query
}

const camel = (column: string) => column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())

async function countsBy(scope: AiLogScope, column: string) {
  const rows = await aiLogQuery(scope).select(column).count('* as total').groupBy(column)
  return rows
    .map((row) => ({
      label: String((row.$attributes as Record<string, unknown>)[camel(column)] ?? '-'),
      value: Number(row.$extras.total),
    }))
    .sort((a, b) => b.value - a.value)
}

/** Totals, latency percentiles and breakdowns of the AI calls in scope. */
export async function aiLogSummary(scope: AiLogScope) {
  const totals = await aiLogQuery(scope)
    .select(
      db.raw('count(*) as calls'),
      db.raw('coalesce(sum(redactions), 0) as redactions'),
      db.raw('coalesce(avg(latency_ms), 0) as avg_latency'),
      db.raw('coalesce(percentile_cont(0.5) within group (order by latency_ms), 0) as p50'),
      db.raw('coalesce(percentile_cont(0.95) within group (order by latency_ms), 0) as p95')
    )
    .pojo<{ calls: string; redactions: string; avg_latency: string; p50: string; p95: string }>()
    .firstOrFail()
  return {
    calls: Number(totals.calls),
    redactions: Number(totals.redactions),
    latency: {
      avg: Math.round(Number(totals.avg_latency) * 10) / 10,
      p50: Math.round(Number(totals.p50) * 10) / 10,
      p95: Math.round(Number(totals.p95) * 10) / 10,
    },
    byOutcome: await countsBy(scope, 'outcome'),
    byProvider: await countsBy(scope, 'provider'),
    byIntent: await countsBy(scope, 'intent'),
    byDecision: await countsBy(scope, 'decision'),
  }
}
