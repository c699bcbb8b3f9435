import type { ReportBuilder } from '#reports/registry'
import { heading, keyValues, pageBreak, paragraph, table, type ReportBlock } from '#reports/content'
import { formatUtc } from '#reports/services/pdf_layout'
import Decision from '#government_requests/models/decision'
import Disclosure from '#government_requests/models/disclosure'
import RequestNotice from '#government_requests/models/request_notice'
import { CHECKLIST } from '#government_requests/policy'
import register from '#government_requests/services/register'
import preservation from '#government_requests/services/preservation'
import { account, authorityOf, label } from '#government_requests/reports/labels'

const when = (value: { toJSDate(): Date } | null | undefined) =>
  value ? formatUtc(value.toJSDate()) : '—'

/**
 * `government-request --case <reference>`: the internal record of one request (SCC Cl. 15.1(d),
 * ISO 27701 B.8.5.3): intake, assessment, decisions and approvals, what was disclosed (as
 * hashes), notices with both dates, holds, and the full timeline from the audit chain.
 */
const governmentRequestRecord: ReportBuilder = async ({ record, progress }) => {
  const request = await register.findByReference(record!)
  const decisions = await Decision.query().where('request_id', request.id).orderBy('id')
  const disclosures = await Disclosure.query().where('request_id', request.id).orderBy('id')
  const notices = await RequestNotice.query().where('request_id', request.id).orderBy('id')
  const holds = request.preservation ? await preservation.holdsOf(request) : []
  const timeline = await register.timeline(request)
  await progress(50)

  const identifierKinds = request.identifiers.map((i) => label('identifier', i.kind))
  const blocks: ReportBlock[] = [
    heading('Intake'),
    keyValues([
      ['Reference', request.reference],
      ['Authority', authorityOf(request)],
      ['Authority type', label('authority', request.authorityType)],
      [
        'Contact verified',
        request.contactVerifiedAt
          ? `${when(request.contactVerifiedAt)}: ${request.contactVerification ?? ''}`
          : 'Not verified',
      ],
      ['Instrument', label('instrument', request.instrumentType)],
      ['Instrument reference', request.instrumentReference ?? 'None recorded'],
      [
        'Instrument document',
        request.instrumentDocumentSha256
          ? `SHA-256 ${request.instrumentDocumentSha256} (${request.instrumentDocumentSize} bytes)`
          : 'Not uploaded',
      ],
      ['Legal basis cited', request.legalBasis],
      ['Received', when(request.receivedAt)],
      ['Deadline', `${when(request.dueAt)} (${label('rule', request.deadlineRule)})`],
      [
        'Scope',
        `${request.scopeIdentifierCount} identifier(s)${identifierKinds.length ? ` (${[...new Set(identifierKinds)].join(', ')})` : ''}; merchants ${request.scopeMerchantIds.join(', ') || 'none'}; categories ${request.scopeCategories.join(', ') || 'none'}; ${request.scopeFrom?.toISODate() ?? 'any'} to ${request.scopeTo?.toISODate() ?? 'any'}`,
      ],
      [
        'Gag order',
        request.gagOrder ? `Yes, until ${request.gagUntil?.toISODate() ?? 'lifted'}` : 'No',
      ],
      [
        'Own-conduct investigation',
        request.ownConduct
          ? 'Yes: outside this process (privacy policy); referred to external counsel'
          : 'No',
      ],
      ['Recorded by', account(request.createdByUserId)],
    ]),
    heading('Assessment'),
    table(
      [
        { header: 'Question', width: 2 },
        { header: 'Answer', width: 1 },
        { header: 'Reasoning', width: 4 },
      ],
      CHECKLIST.map((item) => [
        label('checklist', item),
        label('answer', request.assessment[item]?.answer ?? null),
        request.assessment[item]?.reasoning || '—',
      ])
    ),
    paragraph(
      request.assessedAt
        ? `Completed ${when(request.assessedAt)} by ${account(request.assessedByUserId)}.`
        : 'Not completed.',
      { muted: true }
    ),
    heading('Decisions and approvals'),
    table(
      ['Outcome', 'Status', 'Proposed', 'Approved', 'Challenge result', 'Reasons'],
      decisions.map((d) => [
        label('outcome', d.outcome),
        d.status,
        `${when(d.proposedAt)} by ${account(d.proposedByUserId)}`,
        d.approvedAt ? `${when(d.approvedAt)} by ${account(d.approvedByUserId)}` : '—',
        label('challenge', d.challengeResult),
        d.reasons,
      ]),
      { empty: 'No decision yet.' }
    ),
    heading('Disclosures'),
    table(
      ['Delivered', 'To', 'Fields', 'Subjects', 'Prepared / approved', 'Hashes (SHA-256)'],
      disclosures.map((d) => [
        when(d.deliveredAt),
        d.recipient,
        d.categories.join(', '),
        String(d.subjectCount),
        `${account(d.preparedByUserId)} / ${account(d.approvedByUserId)}`,
        `package ${d.packageSha256}; JWE ${d.jweSha256}`,
      ]),
      { empty: 'Nothing was disclosed.' }
    ),
    ...disclosures.flatMap((d) => [
      heading(`Disclosure ${d.id}: field hashes`, 2),
      table(
        ['Identifier', 'Merchant', 'Records', 'Field', 'SHA-256 of the values'],
        d.disclosedItems.flatMap((item) =>
          Object.entries(item.fields).map(([category, hash]) => [
            `#${item.identifier + 1}`,
            String(item.merchantId),
            String(item.subjects.length),
            category,
            hash,
          ])
        )
      ),
    ]),
    heading('Notices to merchants'),
    table(
      ['Merchant', 'Status', 'Deferred', 'Deferred until', 'Sent', 'E-mails'],
      notices.map((n) => [
        String(n.merchantId),
        n.status,
        when(n.deferredAt),
        n.deferredUntil?.toISODate() ?? (n.deferredAt ? 'until lifted' : '—'),
        when(n.sentAt),
        String(n.emails),
      ]),
      { empty: 'No merchant concerned.' }
    ),
  ]
  if (request.preservation) {
    blocks.push(
      heading('Legal holds'),
      table(
        ['Hold', 'Scope', 'Merchant', 'Placed', 'Expires', 'Lifted'],
        holds.map((h) => [
          String(h.id),
          h.scope,
          String(h.merchantId),
          when(h.placedAt),
          when(h.expiresAt),
          when(h.liftedAt),
        ]),
        { empty: 'No hold placed (no approved decision yet).' }
      )
    )
  }
  blocks.push(
    pageBreak(),
    heading('Timeline'),
    table(
      [
        { header: 'When', width: 2 },
        { header: 'What', width: 3 },
        { header: 'Who', width: 1 },
        { header: 'Outcome', width: 1 },
      ],
      timeline.map((e) => [
        when(e.occurredAt),
        label('event', e.action.replace('government_request.', '')),
        e.actorType === 'user' ? account(Number(e.actorId)) : e.actorType,
        e.outcome,
      ])
    )
  )
  await progress(100)
  return {
    title: `Government request ${request.reference}`,
    subtitle: authorityOf(request),
    blocks,
  }
}

export default governmentRequestRecord
