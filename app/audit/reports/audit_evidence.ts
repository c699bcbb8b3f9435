import db from '@adonisjs/lucid/services/db'
import AuditEvent from '#audit/models/audit_event'
import auditTrail from '#audit/services/audit_trail'
import { barChart, heading, keyValues, paragraph, table, type ReportBlock } from '#reports/content'
import { periodRange } from '#reports/period'
import type { ReportBuilder } from '#reports/registry'

/** Beyond this the event listing is cut (the counts above it still cover everything). */
const MAX_LISTED_EVENTS = 2000

/**
 * Audit evidence pack: the chain's verification verdict at generation time, what was recorded
 * in the period (counts per action and outcome), every denial and failure, and the events.
 */
const auditEvidence: ReportBuilder = async ({ merchant, period, progress }) => {
  const range = period ? periodRange(period) : null
  const scoped = () => {
    const query = AuditEvent.query()
    if (merchant) query.where('merchant_id', merchant.id)
    if (range) {
      query
        .where('occurred_at', '>=', range.start.toJSDate())
        .where('occurred_at', '<', range.end.toJSDate())
    }
    return query
  }

  const verdict = await auditTrail.verify()
  await progress(40)

  const counts = await scoped()
    .select('action', 'outcome')
    .count('* as total')
    .groupBy('action', 'outcome')
    .orderBy('action')
  const perAction = new Map<string, number>()
  const perOutcome = { success: 0, denied: 0, failure: 0 }
  for (const row of counts) {
    const total = Number(row.$extras.total)
    perAction.set(row.action, (perAction.get(row.action) ?? 0) + total)
    perOutcome[row.outcome] += total
  }
  const totalEvents = perOutcome.success + perOutcome.denied + perOutcome.failure
  const bounds = await scoped()
    .select(db.raw('min(id) as first_id, max(id) as last_id'))
    .pojo<{ first_id: string | null; last_id: string | null }>()
    .first()
  await progress(60)

  const problems = await scoped()
    .whereNot('outcome', 'success')
    .orderBy('id')
    .limit(MAX_LISTED_EVENTS)
  const events = await scoped().orderBy('id').limit(MAX_LISTED_EVENTS)
  await progress(90)

  const when = (event: AuditEvent) => event.occurredAt.toUTC().toFormat('yyyy-MM-dd HH:mm:ss')
  const actor = (event: AuditEvent) =>
    `${event.actorType}${event.actorId ? `:${event.actorId}` : ''}`
  const target = (event: AuditEvent) =>
    event.targetType ? `${event.targetType}:${event.targetId}` : '-'
  const eventColumns = [
    { header: '#', width: 0.5 },
    { header: 'When (UTC)', width: 1.3 },
    { header: 'Action', width: 1.6 },
    { header: 'Outcome', width: 0.8 },
    { header: 'Actor', width: 0.9 },
    { header: 'Target', width: 1.6 },
  ]
  const eventRow = (event: AuditEvent) => [
    String(event.id),
    when(event),
    event.action,
    event.outcome,
    actor(event),
    target(event),
  ]

  const blocks: ReportBlock[] = [
    heading('Chain verification'),
    keyValues(
      verdict.valid
        ? [
            ['Verdict', 'INTACT: every event matches its hash and links to the one before it'],
            ['Events verified', String(verdict.checked)],
            ['Head hash', verdict.lastHash],
          ]
        : [
            ['Verdict', `BROKEN at event #${verdict.brokenAt}`],
            ['Reason', verdict.reason],
            ['Events verified before it', String(verdict.checked)],
          ]
    ),
    paragraph(
      'The whole trail is verified, whatever the period or merchant below: each row stores the SHA-256 of the previous one, and a database trigger refuses UPDATE and DELETE.',
      { muted: true }
    ),
    heading('Recorded in scope'),
    keyValues([
      ['Scope', merchant ? `Merchant ${merchant.slug}` : 'All merchants and the platform'],
      [
        'Period',
        range
          ? `${range.start.toISODate()} to ${range.end.minus({ days: 1 }).toISODate()} (UTC)`
          : 'All time',
      ],
      ['Events', String(totalEvents)],
      ['Event ids', bounds?.first_id ? `#${bounds.first_id} to #${bounds.last_id}` : '-'],
      [
        'Outcomes',
        `${perOutcome.success} success, ${perOutcome.denied} denied, ${perOutcome.failure} failure`,
      ],
    ]),
    barChart(
      'Events per action',
      [...perAction.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 20)
        .map(([label, value]) => ({ label, value }))
    ),
    heading('Denials and failures'),
    table(eventColumns, problems.map(eventRow), { empty: 'None in scope.' }),
    heading('Events'),
    table(eventColumns, events.map(eventRow), { empty: 'No events in scope.' }),
  ]
  if (totalEvents > MAX_LISTED_EVENTS) {
    blocks.push(
      paragraph(
        `Only the first ${MAX_LISTED_EVENTS} of ${totalEvents} events are listed; narrow the period for the rest. The counts above cover all of them.`,
        { muted: true }
      )
    )
  }
  await progress(100)
  return {
    subtitle:
      [merchant ? `Merchant: ${merchant.legalName}` : null, period ? `Period ${period}` : null]
        .filter(Boolean)
        .join(' · ') || 'Whole trail',
    blocks,
  }
}

export default auditEvidence
