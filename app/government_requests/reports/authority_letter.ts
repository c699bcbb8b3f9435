import type { ReportBuilder } from '#reports/registry'
import { heading, keyValues, paragraph, table } from '#reports/content'
import { Conflict } from '#core/errors'
import Decision from '#government_requests/models/decision'
import { CHECKLIST } from '#government_requests/policy'
import register from '#government_requests/services/register'
import { authorityOf, label } from '#government_requests/reports/labels'

/*
 * The letters that answer an authority without data: a reasoned refusal (PDPL Art. 10: a refusal
 * must give reasons) and a notice of challenge (SCC Cl. 15.2: challenge a request there are
 * reasonable grounds to consider unlawful, and seek its suspension). Each exists only once a
 * second person has approved that decision.
 */

const LETTERS = {
  reject: {
    missing: [
      'no_refusal',
      'This request has no approved rejection, so there is no refusal letter.',
    ],
    title: 'Refusal of request',
    decided: 'Refused on',
    position: [
      'Our decision',
      'Conversera has assessed your request for its legal basis. Conversera does not provide personal data without lawful legal process, and does not comply with requests it determines to be unlawful, overbroad or inconsistent with applicable law. For the reasons below, we refuse to disclose the data requested.',
    ],
    next: 'You may send a request that meets these requirements: a written order of a competent authority with a valid legal basis and, for authorities outside Egypt, one made through an international agreement such as a mutual legal assistance treaty (GDPR Art. 48). This decision was taken within the period set by Art. 10 of Egypt’s Personal Data Protection Law (151/2020).',
  },
  challenge: {
    missing: [
      'no_challenge',
      'This request has no approved challenge, so there is no notice of challenge.',
    ],
    title: 'Challenge of request',
    decided: 'Challenged on',
    position: [
      'Our position',
      'Conversera has assessed your request for its legal basis and has reasonable grounds to consider it unlawful or broader than the law allows. Conversera is therefore challenging the request, and asks that it be suspended until the challenge is decided. No personal data will be disclosed while the challenge is pending. Should the request finally be held lawful, Conversera will disclose only the minimum that decision requires.',
    ],
    next: 'Please address any reply, a narrowed request or the competent court’s decision to our reference above. A request that meets the requirements below can be answered without a challenge: a written order of a competent authority with a valid legal basis, limited to the data needed and, for authorities outside Egypt, made through an international agreement such as a mutual legal assistance treaty (GDPR Art. 48).',
  },
} as const

export function authorityLetter(outcome: keyof typeof LETTERS): ReportBuilder {
  const letter = LETTERS[outcome]
  return async ({ record }) => {
    const request = await register.findByReference(record!)
    const decision = await Decision.query()
      .where({ requestId: request.id, status: 'approved', outcome })
      .first()
    if (!decision) throw new Conflict(letter.missing[0], letter.missing[1])
    const failed = CHECKLIST.filter((item) => request.assessment[item]?.answer === 'no')
    const challenge: Array<[string, string]> =
      outcome === 'challenge'
        ? [['Challenge', label('challenge', decision.challengeResult ?? 'pending')]]
        : []
    return {
      title: `${letter.title} ${request.instrumentReference ?? request.reference}`,
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
          ['Decision', `${letter.decided} ${decision.approvedAt!.toISODate()}`],
          ...challenge,
        ]),
        heading(letter.position[0]),
        paragraph(letter.position[1]),
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
        paragraph(letter.next),
      ],
    }
  }
}
