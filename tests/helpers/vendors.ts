/*
 * Vendor-register fixtures for tests: subprocessors in a given lifecycle state, TIAs and SCCs.
 * Everything goes through the real services, except back-dating a notice's window, which only
 * time could otherwise do.
 */
import { DateTime } from 'luxon'
import Subprocessor from '#vendors/models/subprocessor'
import DataCategory from '#data_map/models/data_category'
import { seedTaxonomy } from '#database/seeders/55_data_map_seeder'
import ChangeNotice from '#vendors/models/change_notice'
import Objection from '#vendors/models/objection'
import subprocessorRegistry from '#vendors/services/subprocessor_registry'
import transferAssessments from '#vendors/services/transfer_assessments'
import sccAgreements from '#vendors/services/scc_agreements'
import type { SubprocessorInput } from '#vendors/validators/subprocessor'
import type { TiaInput } from '#vendors/validators/tia'
import { staffUser } from '#tests/helpers/actors'

let sequence = 0

export function subprocessorInput(overrides: Partial<SubprocessorInput> = {}): SubprocessorInput {
  sequence += 1
  return {
    name: `Vendor ${Date.now().toString(36)}${sequence}`,
    service: 'LLM inference API',
    purpose: 'Classify intents and draft replies for merchants.',
    dataCategories: ['customer.content.message'],
    processingCountries: ['US'],
    transferMechanism: 'scc_module_3',
    dpaSignedOn: new Date('2026-01-15'),
    aiProvider: true,
    aiTrainsOnCustomerData: false,
    aiAbuseLogRetentionDays: 30,
    ...overrides,
  }
}

/** Closes the newest notice's objection window, as if its deadline had passed. */
export async function closeObjectionWindow(subprocessorId: number) {
  const past = DateTime.utc().minus({ minutes: 1 })
  await ChangeNotice.query()
    .where('subprocessor_id', subprocessorId)
    .whereNotNull('objection_deadline')
    .update({ objection_deadline: past.toSQL(), published_at: past.minus({ days: 30 }).toSQL() })
}

/**
 * The registry accepts only categories the data map knows: seed the real taxonomy (never ad-hoc
 * look-alikes, which other tests would then find in place of the real ones).
 */
export async function ensureCategories(codes: string[]) {
  await seedTaxonomy()
  const known = await DataCategory.query().whereIn('code', codes)
  if (known.length !== codes.length)
    throw new Error(`Not in the data map seed: ${codes.join(', ')}`)
}

export async function proposedSubprocessor(overrides: Partial<SubprocessorInput> = {}) {
  const input = subprocessorInput(overrides)
  await ensureCategories(input.dataCategories)
  return subprocessorRegistry.create(input)
}

/** Announced, window open. */
export async function publishedSubprocessor(
  overrides: Partial<SubprocessorInput> = {},
  windowDays = 30
) {
  const subprocessor = await proposedSubprocessor(overrides)
  const { notice } = await subprocessorRegistry.transition(subprocessor, 'notice_published', {
    objectionWindowDays: windowDays,
  })
  return { subprocessor, notice: notice! }
}

export async function effectiveSubprocessor(overrides: Partial<SubprocessorInput> = {}) {
  const { subprocessor } = await publishedSubprocessor(overrides)
  await closeObjectionWindow(subprocessor.id)
  await subprocessorRegistry.transition(subprocessor, 'effective')
  return Subprocessor.findOrFail(subprocessor.id)
}

export function tiaInput(overrides: Partial<TiaInput> = {}): TiaInput {
  const today = DateTime.utc().startOf('day')
  return {
    countryCode: 'US',
    title: 'Transfers to the United States',
    step1Transfers: 'Conversation text to the AI provider.',
    step2Tool: 'SCC Module 3 with the AI provider.',
    step3Assessment: 'FISA 702 and EO 12333 considered; EO 14086 redress.',
    step4Measures: 'Minimisation, TLS, short retention, no training.',
    step5Procedural: 'SCCs incorporated in the DPA; no amendments.',
    step6Reevaluation: 'Yearly, or on any change in US law.',
    riskRating: 'medium',
    supplementaryMeasures: ['encryption_in_transit', 'encryption_at_rest'],
    reviewedOn: today.minus({ days: 10 }).toJSDate(),
    nextReviewOn: today.plus({ days: 355 }).toJSDate(),
    ...overrides,
  }
}

/** Prepared by one DPO and approved by another, as segregation of duties requires. */
export async function approvedTia(overrides: Partial<TiaInput> = {}) {
  const [preparer, approver] = [await staffUser('dpo'), await staffUser('dpo')]
  const tia = await transferAssessments.create(tiaInput(overrides), preparer.id)
  return transferAssessments.approve(tia, approver.id)
}

/** Records the PDPC licence that PDPL Art. 14 requires for the hub's transfers to `subprocessor`. */
export async function recordPdplLicence(subprocessor: Subprocessor) {
  subprocessor.merge({
    pdplLicenceReference: `PDPC-TL-${subprocessor.id}`,
    pdplLicenceIssuedOn: DateTime.utc().minus({ days: 40 }).startOf('day'),
  })
  await subprocessor.save()
  return subprocessor
}

/** A Module 3 agreement binding `subprocessor` as importer. */
export async function module3Agreement(subprocessor: Subprocessor) {
  sequence += 1
  return sccAgreements.create({
    reference: `SCC-M3-T${Date.now().toString(36)}${sequence}`,
    title: `Conversera to ${subprocessor.name}`,
    module: 3,
    signedOn: new Date('2026-01-15'),
    governingLawCountry: 'IE',
    supervisoryAuthority: 'Data Protection Commission (Ireland)',
    transferFrequency: 'Continuous',
    processingNature: 'Inference on conversation text.',
    subprocessorId: subprocessor.id,
  })
}

export async function subprocessorStatus(id: number) {
  const row = await Subprocessor.findOrFail(id)
  return row.status
}

export async function objectionStatus(id: number) {
  const row = await Objection.findOrFail(id)
  return row.status
}

export async function isCompliant(target: number | string) {
  const verdict = await transferAssessments.isTransferCompliant(target)
  return verdict.compliant
}

/** Requests each URL in turn and returns the statuses, for "may read these pages" checks. */
export async function statusesOf(
  get: (url: string) => Promise<{ status(): number }>,
  urls: string[]
) {
  const statuses: number[] = []
  for (const url of urls) {
    const response = await get(url)
    statuses.push(response.status())
  }
  return statuses
}
