/*
 * Government-request fixtures: the data map (categories and the `legal.obligation` activity), a
 * merchant with a customer, counsel and a DPO, and cases advanced step by step through the real
 * services (intake → instrument → assessment → decision → approval).
 */
import { DateTime } from 'luxon'
import Customer from '#conversations/models/customer'
import type Merchant from '#merchants/models/merchant'
import type User from '#access/models/user'
import register from '#government_requests/services/register'
import requestDecisions from '#government_requests/services/decisions'
import type GovernmentRequest from '#government_requests/models/government_request'
import type {
  AssessmentInput,
  DecisionInput,
  IntakeInput,
} from '#government_requests/validators/government_request'
import { createMerchant, staffUser } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'

export interface GovFixture {
  merchant: Merchant
  customer: Customer
  counsel: User
  dpo: User
}

let sequence = 0

export async function govFixture(): Promise<GovFixture> {
  await seedDataMap()
  const merchant = await createMerchant()
  sequence += 1
  const customer = await Customer.create({
    merchantId: merchant.id,
    phone: `+2010${String(Date.now() % 10_000_000).padStart(7, '0')}${sequence % 10}`,
    displayName: 'Amira Hassan',
    email: `amira${sequence}@example.test`,
    firstSeenAt: DateTime.utc().minus({ months: 2 }),
    lastSeenAt: DateTime.utc().minus({ days: 1 }),
  })
  return {
    merchant,
    customer,
    counsel: await staffUser('legal_counsel'),
    dpo: await staffUser('dpo'),
  }
}

export const SCOPE_CATEGORIES = [
  'customer.contact.phone',
  'customer.identity.profile_name',
  'customer.contact.email',
]

export function intakeInput(fx: GovFixture, overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    authorityName: 'محكمة القاهرة الاقتصادية',
    authorityCountry: 'EG',
    authorityType: 'court',
    authorityContact: 'Clerk of the court',
    instrumentType: 'court_order',
    instrumentReference: 'CEC 77/2026',
    legalBasis: 'Code of Criminal Procedure, Art. 206',
    receivedAt: DateTime.utc().minus({ hours: 2 }).toISO()!,
    deadlineRule: 'pdpl_art10',
    identifiers: [fx.customer.phone!, 'someone@else.test'],
    merchantIds: [fx.merchant.id],
    categories: SCOPE_CATEGORIES,
    ...overrides,
  }
}

export const allYes = (): AssessmentInput => ({
  written: { answer: 'yes', reasoning: 'Signed and stamped order.' },
  competent_authority: { answer: 'yes', reasoning: 'The court has jurisdiction.' },
  legal_basis: { answer: 'yes', reasoning: 'Art. 206 empowers it.' },
  jurisdiction: { answer: 'yes', reasoning: 'Egyptian court, data in Egypt.' },
  proportionate: { answer: 'yes', reasoning: 'Named identifiers only.' },
  notification: { answer: 'yes', reasoning: 'No gag.' },
})

/** A request with its instrument and a completed assessment, but no decision. */
export async function assessedCase(fx: GovFixture, overrides: Partial<IntakeInput> = {}) {
  const request = await register.intake(intakeInput(fx, overrides), fx.counsel.id)
  await register.attachInstrument(request, Buffer.from('%PDF-1.4 order'), 'order.pdf')
  await register.saveAssessment(request, allYes(), fx.counsel.id)
  return register.find(request.id)
}

/** Counsel proposes, the DPO approves: the case is ready to disclose. */
export async function approvedCase(
  fx: GovFixture,
  decision: DecisionInput = {
    outcome: 'narrow',
    reasons: 'Only the first identifier, and not the e-mail.',
    identifierIndexes: [0],
    merchantIds: [],
    categories: ['customer.contact.phone', 'customer.identity.profile_name'],
  },
  overrides: Partial<IntakeInput> = {}
): Promise<GovernmentRequest> {
  const request = await assessedCase(fx, overrides)
  const proposal = await requestDecisions.propose(
    request,
    {
      ...decision,
      merchantIds: decision.merchantIds?.length ? decision.merchantIds : [fx.merchant.id],
    },
    fx.counsel.id
  )
  await requestDecisions.approve(proposal, fx.dpo.id)
  return register.find(request.id)
}
