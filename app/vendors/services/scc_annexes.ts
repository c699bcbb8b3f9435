import env from '#start/env'
import Merchant from '#merchants/models/merchant'
import { controllerDetailsOf } from '#merchants/services/controller_details'
import System from '#data_map/models/system'
import DataCategory from '#data_map/models/data_category'
import ropaService, { retentionText, type RopaActivity } from '#data_map/services/ropa_service'
import { claimNamed, isBacked, withoutUnbackedClaims } from '#data_map/claimed_measures'
import { countryName, isEea } from '#core/countries'
import Subprocessor, { TRANSFER_MECHANISM_LABELS } from '#vendors/models/subprocessor'
import SccAgreement from '#vendors/models/scc_agreement'
import type SccParty from '#vendors/models/scc_party'
import { HUB_COUNTRY } from '#vendors/services/transfer_assessments'

/** Safeguards stated for sensitive data, each printed only while the hub actually applies it. */
const SENSITIVE_SAFEGUARDS = ['field_encryption', 'access_control', 'purpose_guard', 'minimisation']

export interface AnnexParty {
  side: string
  role: string
  name: string
  address: string
  country: string
  contact: string
  activities: string
  joined: string
}

export interface SccAnnexes {
  agreement: SccAgreement
  annexIA: { exporters: AnnexParty[]; importers: AnnexParty[] }
  annexIB: {
    dataSubjects: string[]
    dataCategories: string[]
    sensitiveData: string[]
    frequency: string
    nature: string
    purposes: string[]
    retention: Array<{ activity: string; days: number; note: string; perCategory: string }>
    subprocessing: string
    /** The merchants' own shorter retention instructions (their overrides). */
    retentionInstructions: string[]
  }
  annexIC: string
  annexII: string[]
  annexIII: Array<{
    name: string
    entity: string
    address: string
    contact: string
    service: string
    countries: string
    mechanism: string
    dpa: string
  }>
  annexIIINote: string
}

/** Where the party's details really live: the merchant's own record, the register, or the hub. */
interface PartySources {
  merchants: Map<number, Merchant>
  subprocessors: Map<number, Subprocessor>
}

function partyOf(party: SccParty, sources: PartySources): AnnexParty {
  let address = party.address
  let contact = party.contact
  const merchant = party.merchantId ? sources.merchants.get(party.merchantId) : undefined
  const subprocessor = party.subprocessorId
    ? sources.subprocessors.get(party.subprocessorId)
    : undefined
  if (merchant) {
    const details = controllerDetailsOf(merchant)
    address = details.address ?? 'Not recorded: the merchant has not entered its address'
    contact =
      [details.email, details.dpo && `DPO ${details.dpo.name} <${details.dpo.email}>`]
        .filter(Boolean)
        .join('; ') || 'Not recorded: the merchant has not entered a contact'
  } else if (subprocessor) {
    address = subprocessor.address ?? 'Not recorded in the subprocessor register'
    contact = subprocessor.privacyContact ?? contact
  } else if (party.countryCode === HUB_COUNTRY && party.role === 'processor') {
    address = env.get('PROCESSOR_ADDRESS')
    contact = `${env.get('DPO_NAME')}, Data Protection Officer, ${env.get('DPO_EMAIL')}`
  }
  return {
    side: party.side,
    role: party.role,
    name: party.name,
    address,
    country: countryName(party.countryCode),
    contact,
    activities: party.activities,
    joined: `${party.joinedVia === 'accession' ? 'Acceded (Clause 7)' : 'Signed'} ${party.joinedOn.toISODate()}`,
  }
}

/**
 * Annex I.C (Clause 13(a)) from the exporters' real situation: established in the EU, or with an
 * Art. 27 representative there, or neither (then the authority where the data subjects are).
 */
function competentAuthority(agreement: SccAgreement, exporters: SccParty[], sources: PartySources) {
  const inEu = exporters.filter((p) => isEea(p.countryCode))
  const represented = exporters
    .map((p) => (p.merchantId ? sources.merchants.get(p.merchantId) : undefined))
    .filter((m): m is Merchant => !!m?.representativeName)
  const recorded = agreement.supervisoryAuthority
  if (inEu.length) {
    return `The supervisory authority of the Member State where the data exporter is established (${[...new Set(inEu.map((p) => countryName(p.countryCode)))].join(', ')}): ${recorded}.`
  }
  if (represented.length) {
    return `The supervisory authority of the Member State where the exporter's Art. 27 representative is established (${represented.map((m) => `${m.legalName}: ${m.representativeName}, ${m.representativeContact}`).join('; ')}).`
  }
  return 'No data exporter is established in the EU and none has designated an Art. 27 representative, so under Clause 13(a) the competent authority is that of the Member State in which the data subjects whose personal data are transferred are located.'
}

/** Sensitive data with its restrictions and safeguards (Annex I.B). */
function sensitiveEntry(category: DataCategory, activities: RopaActivity[]) {
  const uses = activities.filter((a) => a.dataCategories.some((c) => c.code === category.code))
  const safeguards = SENSITIVE_SAFEGUARDS.filter(isBacked).map((id) => claimNamed(id).text)
  const rule = category.retentionRule?.durationDays
  const restrictions = [
    `processed only for: ${[...new Set(uses.map((a) => a.purpose.name))].join(', ')}`,
    rule ? `kept at most ${rule} days` : null,
    ...safeguards,
  ].filter(Boolean)
  return `${category.name} (${category.code}). Restrictions and safeguards: ${restrictions.join('; ')}`
}

const unique = (values: string[]) => [...new Set(values)].sort()

/**
 * Annexes I–III of an SCC agreement, assembled from the registers: parties from the agreement,
 * subjects, categories, purposes, retention and measures from the data map (never retyped),
 * and Annex III from the subprocessor register.
 */
export class SccAnnexBuilder {
  async agreementsFor(merchant?: Merchant) {
    const query = SccAgreement.query()
      .where('status', 'active')
      .preload('parties', (q) => q.orderBy('side').orderBy('joined_on').orderBy('id'))
      .preload('subprocessor')
      .orderBy('module')
      .orderBy('reference')
    if (merchant) query.whereHas('parties', (q) => q.where('merchant_id', merchant.id))
    return query
  }

  async build(agreement: SccAgreement, merchant?: Merchant): Promise<SccAnnexes> {
    const record = await ropaService.build(merchant)
    let activities: RopaActivity[] = [
      ...new Map(record.controllers.flatMap((c) => c.activities).map((a) => [a.code, a])).values(),
    ]
    if (agreement.module === 3 && agreement.subprocessorId) {
      // Module 3 covers only what reaches this subprocessor: activities using its systems
      const systems = await System.query()
        .where('subprocessor_id', agreement.subprocessorId)
        .select('code')
      const codes = new Set(systems.map((s) => s.code))
      activities = activities.filter((a) => a.systems.some((s) => codes.has(s.code)))
    }
    const parties = merchant
      ? agreement.parties.filter((p) => p.merchantId === null || p.merchantId === merchant.id)
      : agreement.parties
    const categories = activities.flatMap((a) => a.dataCategories)
    const subprocessors = await Subprocessor.query().where('status', 'effective').orderBy('name')
    const partyMerchants = await Merchant.query().whereIn(
      'id',
      parties.flatMap((p) => (p.merchantId ? [p.merchantId] : []))
    )
    const partySubprocessors = await Subprocessor.query().whereIn(
      'id',
      parties.flatMap((p) => (p.subprocessorId ? [p.subprocessorId] : []))
    )
    const sources: PartySources = {
      merchants: new Map(partyMerchants.map((m) => [m.id, m])),
      subprocessors: new Map(partySubprocessors.map((sp) => [sp.id, sp])),
    }
    const special = await DataCategory.query()
      .whereIn(
        'code',
        categories.filter((c) => c.specialCategory).map((c) => c.code)
      )
      .preload('retentionRule')
      .orderBy('code')
    const exporters = parties.filter((p) => p.side === 'exporter')
    const instructions = merchant
      ? (record.controllers[0]?.retentionInstructions ?? []).map(
          (i) =>
            `${merchant.legalName} instructs: ${i.category} kept ${i.days} days${i.reason ? ` (${i.reason})` : ''}`
        )
      : record.controllers.flatMap((c) =>
          c.retentionInstructions.map(
            (i) => `${c.name} instructs: ${i.category} kept ${i.days} days`
          )
        )

    return {
      agreement,
      annexIA: {
        exporters: exporters.map((p) => partyOf(p, sources)),
        importers: parties.filter((p) => p.side === 'importer').map((p) => partyOf(p, sources)),
      },
      annexIB: {
        dataSubjects: unique(activities.flatMap((a) => a.dataSubjects.map((s) => s.name))),
        dataCategories: unique(categories.map((c) => `${c.name} (${c.code})`)),
        sensitiveData: special.map((c) => sensitiveEntry(c, activities)),
        frequency: agreement.transferFrequency,
        nature: agreement.processingNature,
        purposes: unique(activities.map((a) => `${a.purpose.name} (${a.purpose.code})`)),
        retention: activities.map((a) => {
          const own = merchant
            ? record.controllers[0]?.activities.find((x) => x.code === a.code)
            : undefined
          return {
            activity: a.name,
            days: a.retention.days,
            note: a.retention.note,
            perCategory: (own ?? a).retention.categories.map(retentionText).join('; '),
          }
        }),
        retentionInstructions: instructions,
        subprocessing:
          'Subprocessors listed in Annex III process the data only for the services described there, for the duration of the agreement.',
      },
      annexIC: competentAuthority(agreement, exporters, sources),
      annexII: withoutUnbackedClaims([
        ...record.securityMeasures,
        ...activities.flatMap((a) => a.securityMeasures),
      ]),
      annexIII: (agreement.module === 3 ? [] : subprocessors).map((s) => ({
        name: s.name,
        entity: s.legalEntity ?? s.name,
        address: s.address ?? 'not recorded',
        contact: s.privacyContact ?? 'not recorded',
        service: s.service,
        countries: s.processingCountries.map(countryName).join(', '),
        mechanism: TRANSFER_MECHANISM_LABELS[s.transferMechanism],
        dpa: s.dpaSignedOn?.toISODate() ?? 'not recorded',
      })),
      annexIIINote:
        agreement.module === 3
          ? `The importer's subprocessors are those it lists publicly under its DPA${agreement.subprocessor?.website ? ` (${agreement.subprocessor.website})` : ''}; it must give Conversera notice of changes (Cl. 9(a)).`
          : 'Conversera’s subprocessors, from the subprocessor register on the date of this document.',
    }
  }
}

const sccAnnexBuilder = new SccAnnexBuilder()
export default sccAnnexBuilder
