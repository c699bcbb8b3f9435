import type { ReportBuilder } from '#reports/registry'
import { heading, keyValues, paragraph, table } from '#reports/content'
import { Conflict } from '#core/errors'
import Decision from '#government_requests/models/decision'
import { CHECKLIST } from '#government_requests/policy'
import register from '#government_requests/services/register'
import { authorityOf, label } from '#government_requests/reports/labels'

/**
 * `government-refusal --case <reference>`: the reasoned refusal (PDPL Art. 10: a refusal must
 * give reasons; SCC Cl. 15.2). Only an approved reject decision has one.
 */
const refusalLetter: ReportBuilder = async ({ record }) => {
  const request = await register.findByReference(record!)
  const decision = await Decision.query()
    .where({ requestId: request.id, status: 'approved', outcome: 'reject' })
    .first()
  if (!decision) {
    throw new Conflict(
      'no_refusal',
      'This request has no approved rejection, so there is no refusal letter.'
    )
  }
  const failed = CHECKLIST.filter((item) => request.assessment[item]?.answer === 'no')
  return {
    title: `Refusal of request ${request.instrumentReference ?? request.reference}`,
    subtitle: `Our reference ${request.reference}`,
    blocks: [
      keyValues([
        ['To', authorityOf(request)],
        ['Your reference', request.instrumentReference ?? 'None given'],
        [
          'Your request',
          `${label('instrument', request.instrumentType)} received ${request.receivedAt.toISODate()}`,
        ],
        ['Legal basis you cited', request.legalBasis],
        ['Decision', `Refused on ${decision.approvedAt!.toISODate()}`],
      ]),
      heading('Our decision'),
      paragraph(
        'Conversera has assessed your request for its legal basis. Conversera does not provide personal data without lawful legal process, and does not comply with requests it determines to be unlawful, overbroad or inconsistent with applicable law. For the reasons below, we refuse to disclose the data requested.'
      ),
      heading('Reasons'),
      paragraph(decision.reasons),
      table(
        [
          { header: 'Requirement', width: 2 },
          { header: 'Our assessment', width: 5 },
        ],
        failed.map((item) => [label('checklist', item), request.assessment[item]!.reasoning]),
        { empty: 'See the reasons above.' }
      ),
      heading('What you can do'),
      paragraph(
        'You may send a request that meets these requirements: a written order of a competent authority with a valid legal basis and, for authorities outside Egypt, one made through an international agreement such as a mutual legal assistance treaty (GDPR Art. 48). This decision was taken within the period set by Art. 10 of Egypt’s Personal Data Protection Law (151/2020).'
      ),
    ],
  }
}

export default refusalLetter
