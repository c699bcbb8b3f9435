import db from '@adonisjs/lucid/services/db'
import type { ReportBuilder } from '#reports/registry'
import { heading, keyValues, paragraph, table, type ReportBlock } from '#reports/content'
import { NotFound } from '#core/errors'
import DsrCase from '#dsr/models/dsr_case'
import { timelineOf } from '#dsr/services/timeline'

const TYPE_LABELS: Record<string, string> = {
  access: 'Access (GDPR Art. 15)',
  portability: 'Portability (Art. 20)',
  erasure: 'Erasure (Art. 17)',
  rectification: 'Rectification (Art. 16)',
  restriction: 'Restriction (Art. 18)',
  objection: 'Objection (Art. 21)',
  automated_decision_review: 'Review of an automated decision (Art. 22)',
}

const STATUS_LABELS: Record<string, string> = {
  received: 'Received',
  in_progress: 'In progress',
  awaiting_merchant: 'Awaiting the merchant',
  completed: 'Completed',
  refused: 'Refused',
  cancelled: 'Cancelled',
}

const REFUSAL_LABELS: Record<string, string> = {
  no_match: 'No matching person (no_match)',
  suspected_fraud: 'Suspected fraud (suspected_fraud)',
  outside_jurisdiction: 'Outside jurisdiction (outside_jurisdiction)',
  manifestly_unfounded: 'Manifestly unfounded or excessive (manifestly_unfounded)',
  legal_hold: 'Legal hold (legal_hold)',
  other: 'Other (other)',
}

const SOURCE_LABELS: Record<string, string> = {
  api: 'Merchant API',
  portal: 'Merchant portal',
  console: 'Entered by Conversera staff for the merchant',
  chat: 'The customer, in the chat (forwarded to the merchant)',
  privacy_email: 'The customer, by e-mail to the privacy address (forwarded to the merchant)',
}

const EVENT_LABELS: Record<string, string> = {
  received: 'Received',
  started: 'Started on the merchant’s instruction',
  located: 'Subject’s data located',
  executed: 'Carried out',
  waiting_for_staff: 'Waiting for Conversera staff',
  staff_proceeded: 'Staff resolved the wait',
  merchant_instructed: 'The merchant instructed Conversera',
  merchant_declined: 'The merchant declined',
  extended: 'Deadline extended (Art. 12(3))',
  refused: 'Refused',
  cancelled: 'Cancelled',
  completed_by_staff: 'Completed by staff',
  assigned: 'Assigned',
  commented: 'Comment added',
  task_added: 'Task added',
  task_done: 'Task done',
  reminder_due: 'Reminder: internal target day',
  escalated: 'Escalated: internal target passed',
  duplicate_linked: 'A duplicate request was linked',
}

/**
 * The DSR case report (`--case <reference>`): what was asked, when, the deadlines, what was done
 * and the timeline, with the evidence documents issued. It names no person: identifiers appear
 * only as the kinds given, so the controller can file it with the request.
 */
const dsrCaseReport: ReportBuilder = async ({ merchant, record }) => {
  const dsrCase = record ? await DsrCase.findBy('reference', record) : null
  if (!dsrCase || (merchant && dsrCase.merchantId !== merchant.id)) throw new NotFound('case')
  const timeline = await timelineOf(dsrCase)
  const execution = await db
    .from('dsr_cases')
    .where('id', dsrCase.id)
    .select('outcome', 'artifacts', 'executed_at')
    .first()
  const artifacts = (execution?.artifacts ?? []) as {
    kind: string
    reportKind?: string
    documentId?: string
    format?: string
    sha256?: string
  }[]
  const day = (value: { toISODate(): string | null } | null) => value?.toISODate() ?? '-'
  const blocks: ReportBlock[] = [
    heading('Request'),
    keyValues([
      ['Reference', dsrCase.reference],
      ['Type', TYPE_LABELS[dsrCase.type] ?? dsrCase.type],
      ['Received by the controller', day(dsrCase.receivedOn)],
      ['From', SOURCE_LABELS[dsrCase.source] ?? dsrCase.source],
      ['Identifiers given', Object.keys(dsrCase.subject).join(', ') || '-'],
      ['Identity verified by the controller', dsrCase.identityVerified ? 'Yes' : 'No'],
      [
        'Calendar',
        dsrCase.jurisdiction === 'EG'
          ? 'Egypt (weekend Friday–Saturday)'
          : 'EU (weekend Saturday–Sunday)',
      ],
    ]),
    heading('Deadlines'),
    keyValues([
      ['Deadline (Art. 12(3))', day(dsrCase.originalDueAt)],
      ...(dsrCase.extensionMonths
        ? ([
            ['Extended by', `${dsrCase.extensionMonths} month(s)`],
            ['Extended deadline', day(dsrCase.dueAt)],
            ['Reason for the extension', dsrCase.extensionReason ?? '-'],
          ] as [string, string][])
        : []),
      ['Conversera’s internal target', day(dsrCase.internalDueAt)],
      ['Closed', dsrCase.closedAt?.toUTC().toISO() ?? 'Open'],
      [
        'Met the deadline',
        dsrCase.closedAt
          ? dsrCase.closedAt.toISODate()! <= day(dsrCase.dueAt)
            ? 'Yes'
            : 'No'
          : '-',
      ],
    ]),
    heading('Outcome'),
    keyValues([
      ['Status', STATUS_LABELS[dsrCase.status] ?? dsrCase.status],
      [
        'Records found',
        dsrCase.recordsFound === null || dsrCase.recordsFound === undefined
          ? 'Not located'
          : String(dsrCase.recordsFound),
      ],
      ...(execution?.outcome
        ? ([
            [
              'Execution',
              execution.outcome === 'no_data' ? 'No data found (a valid outcome)' : 'Fulfilled',
            ],
          ] as [string, string][])
        : []),
      ...(dsrCase.refusalCode
        ? ([
            ['Refusal reason', REFUSAL_LABELS[dsrCase.refusalCode] ?? dsrCase.refusalCode],
            ['Explanation', dsrCase.refusalText ?? '-'],
          ] as [string, string][])
        : []),
    ]),
  ]
  if (dsrCase.status === 'refused') {
    blocks.push(
      paragraph(
        'The controller must tell the person without delay, and at the latest within one month, the reasons and that they may complain to a supervisory authority or seek a judicial remedy (GDPR Art. 12(4)).'
      )
    )
  }
  if (artifacts.length) {
    blocks.push(
      heading('Evidence issued'),
      table(
        [
          { header: 'Kind', width: 2 },
          { header: 'Document', width: 4 },
        ],
        artifacts.map((a) => [
          a.reportKind ?? a.kind,
          a.documentId ?? (a.sha256 ? `${a.format ?? ''} package, SHA-256 ${a.sha256}` : '-'),
        ])
      )
    )
  }
  blocks.push(
    heading('Timeline'),
    table(
      [
        { header: 'When (UTC)', width: 2 },
        { header: 'What', width: 3 },
        { header: 'Status', width: 2 },
        { header: 'By', width: 1 },
      ],
      timeline.map((event) => [
        event.createdAt.toUTC().toFormat('yyyy-LL-dd HH:mm'),
        EVENT_LABELS[event.kind] ?? event.kind,
        event.toStatus ? (STATUS_LABELS[event.toStatus] ?? event.toStatus) : '',
        event.actorType === 'user' ? `user ${event.actorId}` : event.actorType,
      ])
    )
  )
  return { title: `DSR case report ${dsrCase.reference}`, blocks }
}

export default dsrCaseReport
