import type Merchant from '#merchants/models/merchant'
import System from '#data_map/models/system'
import ropaService, { type RopaActivity } from '#data_map/services/ropa_service'
import { countryName } from '#core/countries'
import Subprocessor, { TRANSFER_MECHANISM_LABELS } from '#vendors/models/subprocessor'
import SccAgreement from '#vendors/models/scc_agreement'
import type SccParty from '#vendors/models/scc_party'

/** Measures the processor commits to in Annex II beyond what the data map lists per system. */
const ANNEX_II_COMMITMENTS = [
  'Assistance with data-subject requests: requests are located across every mapped table and answered on the exporter’s instruction (Cl. 10)',
  'Subprocessors bound by written contracts with the same duties (Cl. 9(b)); changes notified with an objection window',
  'Breach notification to the exporter without undue delay (Cl. 8.6)',
  'Government requests: legality assessed, challenged where appropriate, minimum disclosure, exporter notified (Cl. 15)',
]

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
    retention: Array<{ activity: string; days: number; note: string }>
    subprocessing: string
  }
  annexIC: string
  annexII: string[]
  annexIII: Array<{
    name: string
    entity: string
    service: string
    countries: string
    mechanism: string
    dpa: string
  }>
  annexIIINote: string
}

function partyOf(party: SccParty): AnnexParty {
  return {
    side: party.side,
    role: party.role,
    name: party.name,
    address: party.address,
    country: countryName(party.countryCode),
    contact: party.contact,
    activities: party.activities,
    joined: `${party.joinedVia === 'accession' ? 'Acceded (Clause 7)' : 'Signed'} ${party.joinedOn.toISODate()}`,
  }
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

    return {
      agreement,
      annexIA: {
        exporters: parties.filter((p) => p.side === 'exporter').map(partyOf),
        importers: parties.filter((p) => p.side === 'importer').map(partyOf),
      },
      annexIB: {
        dataSubjects: unique(activities.flatMap((a) => a.dataSubjects.map((s) => s.name))),
        dataCategories: unique(categories.map((c) => `${c.name} (${c.code})`)),
        sensitiveData: unique(
          categories.filter((c) => c.specialCategory).map((c) => `${c.name} (${c.code})`)
        ),
        frequency: agreement.transferFrequency,
        nature: agreement.processingNature,
        purposes: unique(activities.map((a) => `${a.purpose.name} (${a.purpose.code})`)),
        retention: activities.map((a) => ({
          activity: a.name,
          days: a.retention.days,
          note: a.retention.note,
        })),
        subprocessing:
          'Subprocessors listed in Annex III process the data only for the services described there, for the duration of the agreement.',
      },
      annexIC: agreement.supervisoryAuthority,
      annexII: unique([
        ...record.securityMeasures,
        ...activities.flatMap((a) => a.securityMeasures),
      ]).concat(ANNEX_II_COMMITMENTS),
      // Under Module 3 the importer's own subprocessors belong in Annex III, not Conversera's
      annexIII: (agreement.module === 3 ? [] : subprocessors).map((s) => ({
        name: s.name,
        entity: s.legalEntity ?? s.name,
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
