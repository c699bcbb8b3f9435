import db from '@adonisjs/lucid/services/db'
import { barChart, heading, keyValues, paragraph, table } from '#reports/content'
import { periodRange } from '#reports/period'
import type { ReportBuilder } from '#reports/registry'
import {
  aiLogQuery,
  aiLogSummary,
  type AiLogScope,
} from '#conversations/processing/ai_processing_log_service'

/**
 * AI processing per merchant and period: how many calls, to which provider and subprocessor,
 * what the guard refused, how much was redacted before leaving the hub, and latency. Counts and
 * codes only: no message text, no customer.
 */
const aiProcessing: ReportBuilder = async ({ merchant, period, progress }) => {
  const range = period ? periodRange(period) : null
  const scope: AiLogScope = {
    merchantId: merchant?.id,
    from: range?.start,
    to: range?.end,
  }
  const summary = await aiLogSummary(scope)
  await progress(50)
  const destinations = await aiLogQuery(scope)
    .leftJoin('subprocessors', 'subprocessors.id', 'ai_processing_logs.subprocessor_id')
    .select(
      'ai_processing_logs.provider',
      'ai_processing_logs.model',
      db.raw(`coalesce(subprocessors.name, '') as subprocessor`)
    )
    .count('* as total')
    .sum('ai_processing_logs.redactions as redactions')
    .groupBy('ai_processing_logs.provider', 'ai_processing_logs.model', 'subprocessors.name')
    .orderBy('ai_processing_logs.provider')
    .pojo<{
      provider: string
      model: string
      subprocessor: string
      total: string
      redactions: string
    }>()
  const perMerchant = merchant
    ? []
    : await aiLogQuery(scope)
        .join('merchants', 'merchants.id', 'ai_processing_logs.merchant_id')
        .select('merchants.legal_name')
        .count('* as total')
        .select(db.raw(`count(*) filter (where outcome = 'denied') as denied`))
        .select(db.raw(`count(*) filter (where outcome = 'handoff') as handoffs`))
        .groupBy('merchants.legal_name')
        .orderBy('merchants.legal_name')
        .pojo<{ legal_name: string; total: string; denied: string; handoffs: string }>()
  await progress(90)

  const blocks = [
    heading('Scope'),
    keyValues([
      ['Merchant', merchant ? merchant.legalName : 'All merchants'],
      [
        'Period',
        range
          ? `${range.start.toISODate()} to ${range.end.minus({ days: 1 }).toISODate()} (UTC)`
          : 'All time',
      ],
      ['AI calls', String(summary.calls)],
      ['Identifiers redacted before the calls', String(summary.redactions)],
      [
        'Latency (ms)',
        `average ${summary.latency.avg}, median ${summary.latency.p50}, 95th percentile ${summary.latency.p95}`,
      ],
    ]),
    paragraph(
      'Every call passed the purpose guard first (purpose service.ai_assistance against the merchant’s processing activities; destination subprocessor effective, transfer compliant and not objected to). Calls the guard refused are counted as "denied": no text left the hub for them.',
      { muted: true }
    ),
    barChart('Calls by outcome', summary.byOutcome, { unit: 'calls' }),
    barChart('Calls by provider', summary.byProvider, { unit: 'calls' }),
    barChart('Messages by intent', summary.byIntent, { unit: 'messages' }),
    heading('Destinations'),
    table(
      [
        'Provider',
        'Model',
        'Subprocessor',
        { header: 'Calls', align: 'right' },
        { header: 'Redactions', align: 'right' },
      ],
      destinations.map((row) => [
        row.provider,
        row.model,
        row.subprocessor || 'none (processed inside the hub)',
        String(row.total),
        String(row.redactions ?? 0),
      ]),
      { empty: 'No AI calls in scope.' }
    ),
  ]
  if (!merchant) {
    blocks.push(
      heading('Per merchant'),
      table(
        [
          'Merchant',
          { header: 'Calls', align: 'right' },
          { header: 'Handoffs', align: 'right' },
          { header: 'Denied by the guard', align: 'right' },
        ],
        perMerchant.map((row) => [
          row.legal_name,
          String(row.total),
          String(row.handoffs),
          String(row.denied),
        ]),
        { empty: 'No AI calls in scope.' }
      )
    )
  }
  await progress(100)
  return {
    subtitle:
      [merchant ? `Merchant: ${merchant.legalName}` : null, period ? `Period ${period}` : null]
        .filter(Boolean)
        .join(' · ') || 'All merchants, all time',
    blocks,
  }
}

export default aiProcessing
