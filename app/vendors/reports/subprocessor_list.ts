import type { ReportBuilder } from '#reports/registry'
import { barChart, heading, keyValues, paragraph, table, type ReportBlock } from '#reports/content'
import { countryName } from '#core/countries'
import Subprocessor, { TRANSFER_MECHANISM_LABELS } from '#vendors/models/subprocessor'
import Objection from '#vendors/models/objection'
import changeNotices from '#vendors/services/change_notices'
import transferAssessments from '#vendors/services/transfer_assessments'
import { STATUS_LABELS } from '#vendors/services/lifecycle'

function aiTermsText(subprocessor: Subprocessor) {
  const terms = subprocessor.aiTerms
  if (!terms) return '—'
  return [
    terms.trainsOnCustomerData ? 'may train on customer data' : 'no training on customer data',
    terms.abuseLogRetentionDays === null
      ? 'no abuse logs'
      : `abuse logs up to ${terms.abuseLogRetentionDays} days`,
    terms.zeroDataRetention ? 'zero data retention' : null,
  ]
    .filter(Boolean)
    .join('; ')
}

/** `subprocessors`: the register with transfer compliance, notices and objections. */
const subprocessorList: ReportBuilder = async ({ progress }) => {
  const subprocessors = await Subprocessor.query().whereNot('status', 'retired').orderBy('name')
  const objections = await Objection.query().select('subprocessor_id', 'status')
  const blocks: ReportBlock[] = [
    heading('Subprocessors'),
    table(
      [
        { header: 'Name', width: 1.2 },
        { header: 'Service and purpose', width: 2.4 },
        { header: 'Countries', width: 1.1 },
        { header: 'Safeguard', width: 1.5 },
        { header: 'DPA', width: 0.9 },
        { header: 'Status', width: 0.9 },
      ],
      subprocessors.map((s) => [
        s.name,
        `${s.service}: ${s.purpose}`,
        s.processingCountries.map(countryName).join(', '),
        TRANSFER_MECHANISM_LABELS[s.transferMechanism],
        s.dpaSignedOn?.toISODate() ?? 'not recorded',
        STATUS_LABELS[s.status],
      ]),
      { empty: 'No subprocessors are registered.' }
    ),
    heading('Data and AI terms', 2),
    table(
      [
        { header: 'Name', width: 1 },
        { header: 'Data categories', width: 2.6 },
        { header: 'AI retention and training terms', width: 2 },
      ],
      subprocessors.map((s) => [s.name, s.dataCategories.join(', '), aiTermsText(s)])
    ),
    heading('Transfer compliance', 2),
  ]
  await progress(30)

  const rows: string[][] = []
  for (const s of subprocessors) {
    const verdict = await transferAssessments.isTransferCompliant(s.id)
    rows.push([
      s.name,
      verdict.compliant ? 'Compliant' : 'NOT compliant',
      verdict.reasons.join(' ') || 'Mechanism valid; TIAs current.',
    ])
  }
  blocks.push(
    table(
      [
        { header: 'Name', width: 1 },
        { header: 'Verdict', width: 0.9 },
        { header: 'Reasons', width: 3.5 },
      ],
      rows
    )
  )
  await progress(60)

  const byStatus = (id: number, status: string) =>
    objections.filter((o) => o.subprocessorId === id && o.status === status).length
  blocks.push(
    heading('Merchant objections', 2),
    barChart(
      'Open objections per subprocessor',
      subprocessors.map((s) => ({ label: s.name, value: byStatus(s.id, 'open') })),
      { unit: 'open' }
    ),
    table(
      ['Subprocessor', 'Open', 'Upheld', 'Rejected', 'Withdrawn'],
      subprocessors.map((s) => [
        s.name,
        ...['open', 'upheld', 'rejected', 'withdrawn'].map((status) =>
          String(byStatus(s.id, status))
        ),
      ])
    )
  )

  const notices = await changeNotices.history({ limit: 100 })
  const retired = await Subprocessor.query().where('status', 'retired').select('id')
  blocks.push(
    heading('Change notices (latest 100)', 2),
    table(
      [
        { header: 'Published (UTC)', width: 1.1 },
        { header: 'Subprocessor', width: 1.1 },
        { header: 'Kind', width: 0.8 },
        { header: 'Summary', width: 3 },
        { header: 'Objections until', width: 1.1 },
      ],
      notices.map((n) => [
        n.publishedAt.toUTC().toFormat('yyyy-LL-dd HH:mm'),
        n.subprocessor.name,
        n.kind,
        n.summary,
        n.objectionDeadline?.toUTC().toFormat('yyyy-LL-dd') ?? '—',
      ]),
      { empty: 'No notices published.' }
    ),
    keyValues([['Retired subprocessors (kept as history)', String(retired.length)]]),
    paragraph(
      'Public list: /subprocessors · JSON: /api/v1/subprocessors · Atom feed: /subprocessors/feed.atom',
      { muted: true }
    )
  )
  await progress(100)
  return { blocks }
}

export default subprocessorList
