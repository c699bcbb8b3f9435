/*
 * A record for each report kind that is about one record (`record: 'required'`), named as its
 * `--case` argument, so tests can render every kind. A module adding such a kind adds its maker here.
 */
import { DateTime } from 'luxon'
import type Merchant from '#merchants/models/merchant'
import { locate } from '#dsr/execution/locator'
import { createExport } from '#dsr/execution/exports'
import { eraseSubject } from '#dsr/execution/erasure'
import MerchantTermination from '#dsr/models/merchant_termination'
import intake from '#dsr/services/intake'
import workflow from '#dsr/services/workflow'
import { seedDemoCases } from '#government_requests/demo_cases'
import type GovernmentRequest from '#government_requests/models/government_request'
import { govFixture } from '#tests/helpers/government_requests'

/** The government-request module's own demo cases, seeded once per merchant. */
const demoCases = new Map<number, Promise<GovernmentRequest[]>>()
function governmentCases(merchant: Merchant) {
  if (!demoCases.has(merchant.id)) {
    demoCases.set(
      merchant.id,
      govFixture().then((fx) => seedDemoCases([fx.merchant, merchant], fx))
    )
  }
  return demoCases.get(merchant.id)!
}

export const REPORT_RECORDS: Record<string, (merchant: Merchant) => Promise<string>> = {
  'government-request': (merchant) => governmentCases(merchant).then((cases) => cases[1].reference),
  'government-refusal': (merchant) => governmentCases(merchant).then((cases) => cases[0].reference),
  'government-challenge': (merchant) =>
    governmentCases(merchant).then((cases) => cases[cases.length - 1].reference),
  'deletion-certificate': async (merchant) => {
    const located = await locate(merchant.id, { email: 'nobody@example.test' })
    const erasure = await eraseSubject(merchant.id, located, { actor: { type: 'system' } })
    return String(erasure.id)
  },
  'dsr-access-report': async (merchant) => {
    const located = await locate(merchant.id, { email: 'nobody@example.test' })
    const exported = await createExport(merchant, located, {
      format: 'json',
      actor: { type: 'system' },
    })
    return String(exported.id)
  },
  'dsr-case': async (merchant) => {
    const { dsrCase } = await intake.submit(
      {
        type: 'access',
        subject: { email: 'nobody@example.test' },
        receivedAt: new Date(),
        identityVerified: true,
      },
      { merchant, source: 'api' }
    )
    await workflow.refuse(dsrCase, 'no_match')
    return dsrCase.reference
  },
  'termination-certificate': async (merchant) => {
    const now = DateTime.utc()
    const termination = await MerchantTermination.create({
      merchantId: merchant.id,
      choice: 'delete',
      status: 'completed',
      requestedAt: now,
      deleteAfter: now,
      executedAt: now,
      counts: [{ system: 'kms', place: 'merchant KMS key', rows: 1, action: 'destroyed' }],
    })
    return String(termination.id)
  },
}
