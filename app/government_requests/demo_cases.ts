import { DateTime } from 'luxon'
import type User from '#access/models/user'
import type Merchant from '#merchants/models/merchant'
import Customer from '#conversations/models/customer'
import GovernmentRequest from '#government_requests/models/government_request'
import register from '#government_requests/services/register'
import requestDecisions from '#government_requests/services/decisions'
import requestDisclosures from '#government_requests/services/disclosures'
import subjectData from '#government_requests/services/subject_data'
import type { ChecklistItem } from '#government_requests/policy'
import type {
  AssessmentInput,
  IntakeInput,
} from '#government_requests/validators/government_request'

export interface DemoStaff {
  counsel: User
  dpo: User
}

const DEMO_MARKER = 'CEC 1123/2026'

const yes = (reasoning: string) => ({ answer: 'yes' as const, reasoning })
const no = (reasoning: string) => ({ answer: 'no' as const, reasoning })

function assessment(overrides: AssessmentInput): AssessmentInput {
  const base: Record<
    ChecklistItem,
    { answer: 'yes' | 'no' | 'not_applicable'; reasoning: string }
  > = {
    written: yes('Served in writing on the registered office, signed and stamped.'),
    competent_authority: yes('The issuing authority has jurisdiction over the offence cited.'),
    legal_basis: yes('The provision cited empowers the authority to order production.'),
    jurisdiction: yes('Issued by an Egyptian authority over data processed in Egypt.'),
    proportionate: yes('Limited to named identifiers, categories and a date range.'),
    notification: yes('No gag order: the merchant is notified.'),
  }
  return { ...base, ...overrides }
}

/** A demo customer the cases can name; found by its phone's blind index, else created. */
async function demoCustomer(merchant: Merchant, phone: string, name: string, email: string) {
  const [found] = await subjectData.resolve(merchant.id, { kind: 'phone', value: phone })
  if (found) return Customer.findOrFail(found)
  const now = DateTime.utc()
  return Customer.create({
    merchantId: merchant.id,
    phone,
    displayName: name,
    email,
    firstSeenAt: now.minus({ months: 5 }),
    lastSeenAt: now.minus({ days: 3 }),
  })
}

interface CaseSpec {
  input: IntakeInput
  assessment: AssessmentInput
  decision?: Parameters<typeof requestDecisions.propose>[1]
  challengeResult?: 'upheld' | 'dismissed'
  disclose?: Array<{ identifier: number; categories: string[] }>
}

/**
 * The five example cases `npm start` seeds (issue 11), run through the real services so every
 * rule holds for them too: an overbroad request refused, a narrowed court order complied with,
 * an emergency request, a preservation request with its hold, and a foreign order without an
 * international agreement, challenged. Counsel records and proposes; the DPO approves.
 */
export async function seedDemoCases(merchants: Merchant[], staff: DemoStaff) {
  // Seeded once: the narrowed court order marks the set
  if (await GovernmentRequest.findBy('instrumentReference', DEMO_MARKER)) return []
  const [first, second] = [merchants[0], merchants[1] ?? merchants[0]]
  await demoCustomer(first, '+201001234567', 'Amira Hassan', 'amira@example.test')
  await demoCustomer(first, '+201009876543', 'Karim Adel', 'karim@example.test')
  const day = (iso: string) => `${iso}T10:00`
  const instrument = Buffer.from('%PDF-1.4\n% demo instrument (scanned order)\n')
  const gagEnd = DateTime.utc().plus({ months: 2 }).toISODate()!
  const preserveEnd = DateTime.utc().plus({ months: 3 }).toISODate()!

  const cases: CaseSpec[] = [
    {
      input: {
        authorityName: 'الإدارة العامة لمباحث الإنترنت',
        authorityCountry: 'EG',
        authorityType: 'police',
        authorityContact: 'Duty officer, General Directorate of Internet Investigations',
        instrumentType: 'administrative_order',
        instrumentReference: 'ADM/2026/7781',
        legalBasis: 'Law 175/2018 (Anti-Cyber and Information Technology Crimes), Art. 2',
        receivedAt: day('2026-08-04'),
        deadlineRule: 'pdpl_art10',
        identifiers: [],
        merchantIds: [first.id, second.id],
        categories: ['customer.contact.phone', 'customer.content.message'],
      },
      assessment: assessment({
        legal_basis: no(
          'Art. 2 obliges providers to retain traffic data; it does not empower a police directorate to order production without a judicial order.'
        ),
        proportionate: no(
          'Asks for every customer and every message of two merchants, with no suspect or date range: overbroad.'
        ),
      }),
      decision: {
        outcome: 'reject',
        reasons:
          'The request is overbroad (all customers of two merchants) and cites no power to order production; a judicial order naming specific persons is required.',
      },
    },
    {
      input: {
        authorityName: 'محكمة القاهرة الاقتصادية',
        authorityCountry: 'EG',
        authorityType: 'court',
        authorityContact: 'Clerk of the Third Circuit, Cairo Economic Court',
        contactVerification:
          'Called the court registry on its published number; the order number matched.',
        contactVerified: true,
        instrumentType: 'court_order',
        instrumentReference: DEMO_MARKER,
        legalBasis: 'Code of Criminal Procedure, Art. 206; PDPL 151/2020, Art. 10',
        receivedAt: day('2026-09-15'),
        deadlineRule: 'pdpl_art10',
        identifiers: ['+201001234567', '+201009876543'],
        merchantIds: [first.id],
        categories: [
          'customer.contact.phone',
          'customer.identity.profile_name',
          'customer.contact.email',
          'customer.content.message',
        ],
        scopeFrom: new Date('2026-06-01'),
        scopeTo: new Date('2026-09-01'),
      },
      assessment: assessment({
        proportionate: no(
          'The order names two numbers but the fraud alleged concerns only the first; message contents are not needed to identify the account holder.'
        ),
      }),
      decision: {
        outcome: 'narrow',
        reasons:
          'Narrowed to the account holder of the first number: name, phone and e-mail; no message content and nothing about the second number.',
        identifierIndexes: [0],
        merchantIds: [first.id],
        categories: [
          'customer.contact.phone',
          'customer.identity.profile_name',
          'customer.contact.email',
        ],
      },
      disclose: [
        {
          identifier: 0,
          categories: ['customer.identity.profile_name', 'customer.contact.phone'],
        },
      ],
    },
    {
      input: {
        authorityName: 'Landeskriminalamt Berlin',
        authorityCountry: 'DE',
        authorityType: 'police',
        authorityContact: 'LKA 7, 24-hour desk',
        contactVerification: 'Call-back through the EU e-Evidence contact point.',
        contactVerified: true,
        instrumentType: 'emergency_request',
        instrumentReference: 'EPOC-2026-DE-0417',
        legalBasis: 'Regulation (EU) 2023/1543, Art. 10(4): imminent threat to life',
        receivedAt: day('2026-10-20'),
        deadlineRule: 'eu_e_evidence',
        identifiers: ['+201001234567'],
        merchantIds: [first.id],
        categories: ['customer.contact.phone', 'customer.identity.profile_name'],
        gagOrder: true,
        gagUntil: new Date(gagEnd),
      },
      assessment: assessment({
        jurisdiction: yes(
          'A European Production Order certificate from an issuing authority of a Member State.'
        ),
        notification: no('The issuing authority ordered confidentiality until the date given.'),
      }),
      decision: {
        outcome: 'comply_partial',
        reasons:
          'Imminent risk to life certified; the name only, to locate the person. Follow-up order demanded.',
        identifierIndexes: [0],
        merchantIds: [first.id],
        categories: ['customer.identity.profile_name'],
      },
      disclose: [{ identifier: 0, categories: ['customer.identity.profile_name'] }],
    },
    {
      input: {
        authorityName: 'النيابة العامة',
        authorityCountry: 'EG',
        authorityType: 'prosecutor',
        authorityContact: 'Office of the Public Prosecutor, technical department',
        contactVerified: true,
        contactVerification: 'Received through the prosecutor’s registered channel.',
        instrumentType: 'preservation_request',
        instrumentReference: 'PP/PRES/2026/0093',
        legalBasis: 'Law 175/2018, Art. 6: preservation pending a judicial order',
        receivedAt: day('2026-11-02'),
        deadlineRule: 'pdpl_art10',
        identifiers: ['+201001234567'],
        merchantIds: [first.id],
        categories: ['customer.contact.phone', 'customer.content.message'],
        preserveUntil: new Date(preserveEnd),
      },
      assessment: assessment({}),
      decision: {
        outcome: 'comply_full',
        reasons:
          'Preservation only: the data is frozen until the order expires; nothing is produced without a further judicial order.',
      },
    },
    {
      input: {
        authorityName: 'United States District Court for the Southern District of New York',
        authorityCountry: 'US',
        authorityType: 'court',
        authorityContact: 'Assistant U.S. Attorney (by e-mail)',
        instrumentType: 'subpoena',
        instrumentReference: '26-MJ-0412',
        legalBasis: '18 U.S.C. § 2703(d)',
        receivedAt: day('2026-11-18'),
        deadlineRule: 'custom',
        customDueAt: day('2026-12-02'),
        identifiers: ['amira@example.test'],
        merchantIds: [first.id],
        categories: ['customer.contact.email', 'customer.content.message'],
      },
      assessment: assessment({
        jurisdiction: no(
          'A US order addressed directly to a processor in Egypt for EU-origin data: no mutual legal assistance request and no international agreement (GDPR Art. 48).'
        ),
        notification: yes('No gag order accompanies the subpoena.'),
      }),
      decision: {
        outcome: 'challenge',
        reasons:
          'Not binding without an international agreement (GDPR Art. 48); we asked the court to proceed through the Egypt–US MLAT.',
      },
      challengeResult: 'upheld',
    },
  ]

  const created = []
  for (const spec of cases) {
    const request = await register.intake(spec.input, staff.counsel.id)
    await register.attachInstrument(request, instrument, `${request.reference}.pdf`)
    await register.saveAssessment(request, spec.assessment, staff.counsel.id)
    if (spec.decision) {
      const decision = await requestDecisions.propose(request, spec.decision, staff.counsel.id)
      await requestDecisions.approve(decision, staff.dpo.id)
      if (spec.challengeResult)
        await requestDecisions.resolveChallenge(decision, spec.challengeResult)
    }
    if (spec.disclose) {
      await requestDisclosures.build(
        await register.find(request.id),
        { items: spec.disclose.map((d) => ({ ...d, merchantId: first.id })) },
        {
          actorUserId: staff.counsel.id,
          channel: 'command',
          actor: { type: 'user', id: staff.counsel.id },
        }
      )
    }
    created.push(await register.find(request.id))
  }
  return created
}
