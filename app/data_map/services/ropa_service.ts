import { DateTime } from 'luxon'
import env from '#start/env'
import { countryName } from '#core/countries'
import Merchant from '#merchants/models/merchant'
import { TRANSFER_MECHANISM_LABELS, type TransferMechanism } from '#vendors/models/subprocessor'
import ProcessingActivity from '#data_map/models/processing_activity'
import DataFlow from '#data_map/models/data_flow'
import vendors from '#vendors/services/vendors'
import type { TransferVerdict } from '#vendors/services/transfer_assessments'
import type { FlowMechanism } from '#data_map/taxonomy'

/** Where the processor is established: flows that stay here are not third-country transfers. */
const PROCESSOR_COUNTRY = 'EG'

/* Art. 30(2)(d): measures that hold for every activity, on top of each system's own. */
const PLATFORM_MEASURES = [
  'Personal data encrypted at rest with AES-256-GCM under per-subject keys wrapped by a per-merchant KMS key',
  'TLS for all data in transit',
  'Role-based access control with mandatory MFA for staff; merchant data isolated per tenant',
  'Append-only, hash-chained audit trail of access and changes',
  'Erasure by crypto-shredding of subject and merchant keys',
]

export interface RopaActivity {
  code: string
  name: string
  description: string
  scope: 'all_merchants' | 'this_merchant'
  purpose: { code: string; name: string }
  dataCategories: Array<{ code: string; name: string; specialCategory: boolean }>
  dataSubjects: Array<{ code: string; name: string }>
  systems: Array<{ code: string; name: string; country: string }>
  retention: { days: number; note: string }
  securityMeasures: string[]
}

export interface RopaTransfer {
  flow: string
  fromSystem: string
  fromSystemCode: string
  recipient: string
  recipientService: string
  recipientStatus: string
  country: string
  countryName: string
  mechanism: FlowMechanism
  safeguards: string
  recipientMechanism: string
  dpaSignedOn: string | null
  dataCategories: string[]
  /** The vendor register's verdict for this destination: mechanism in force and a current TIA. */
  compliant: boolean
  complianceNotes: string[]
}

export interface RopaController {
  merchantId: number
  name: string
  slug: string
  country: string
  activities: RopaActivity[]
  transfers: RopaTransfer[]
}

export interface RopaRecord {
  article: 'GDPR Art. 30(2)'
  generatedAt: string
  processor: { name: string; address: string; country: string; contactEmail: string }
  dpo: { name: string; email: string }
  representative: string
  controllers: RopaController[]
  securityMeasures: string[]
}

function mechanismLabel(mechanism: string) {
  if (mechanism === 'domestic') return 'No transfer (processed in Egypt)'
  return TRANSFER_MECHANISM_LABELS[mechanism as TransferMechanism] ?? mechanism
}

/**
 * The Art. 30(2) record of processing carried out on behalf of each merchant, built from the
 * data map and the subprocessor register at the moment it is asked for (never a stored copy).
 */
export class RopaService {
  async build(merchant?: Merchant): Promise<RopaRecord> {
    const merchants = merchant ? [merchant] : await Merchant.query().orderBy('slug')
    const activities = await ProcessingActivity.query()
      .where('status', 'active')
      .if(merchant, (query) =>
        query.where((scope) => scope.whereNull('merchant_id').orWhere('merchant_id', merchant!.id))
      )
      .preload('purpose')
      .preload('categories', (q) => q.orderBy('code'))
      .preload('subjects', (q) => q.orderBy('code'))
      .preload('systems', (q) => q.orderBy('code'))
      .orderBy('code')
    const flows = await DataFlow.query()
      .preload('system')
      .preload('subprocessor')
      .preload('categories', (q) => q.orderBy('code'))
      .orderBy('id')

    const verdicts = new Map<number, TransferVerdict>()
    for (const flow of flows) {
      if (!verdicts.has(flow.subprocessorId)) {
        verdicts.set(flow.subprocessorId, await vendors.isTransferCompliant(flow.subprocessorId))
      }
    }

    const controllers = merchants.map((m) => {
      const own = activities.filter((a) => a.merchantId === null || a.merchantId === m.id)
      const systemIds = new Set(own.flatMap((a) => a.systems.map((s) => s.id)))
      return {
        merchantId: m.id,
        name: m.legalName,
        slug: m.slug,
        country: m.countryCode,
        activities: own.map((a) => this.activityOf(a)),
        transfers: flows
          .filter((f) => systemIds.has(f.systemId) && f.destinationCountry !== PROCESSOR_COUNTRY)
          .map((f) => this.transferOf(f, verdicts.get(f.subprocessorId)!)),
      }
    })

    const systemMeasures = activities.flatMap((a) => a.systems.flatMap((s) => s.securityMeasures))
    const activityMeasures = activities.flatMap((a) => a.securityMeasures)
    return {
      article: 'GDPR Art. 30(2)',
      generatedAt: DateTime.utc().toISO()!,
      processor: {
        name: env.get('ORGANISATION_NAME'),
        address: env.get('PROCESSOR_ADDRESS'),
        country: PROCESSOR_COUNTRY,
        contactEmail: env.get('DPO_EMAIL'),
      },
      dpo: { name: env.get('DPO_NAME'), email: env.get('DPO_EMAIL') },
      representative: 'None designated (Art. 27 EU representative)',
      controllers,
      securityMeasures: [
        ...new Set([...PLATFORM_MEASURES, ...systemMeasures, ...activityMeasures]),
      ],
    }
  }

  private activityOf(activity: ProcessingActivity): RopaActivity {
    return {
      code: activity.code,
      name: activity.name,
      description: activity.description,
      scope: activity.merchantId === null ? 'all_merchants' : 'this_merchant',
      purpose: { code: activity.purpose.code, name: activity.purpose.name },
      dataCategories: activity.categories.map((c) => ({
        code: c.code,
        name: c.name,
        specialCategory: c.specialCategory,
      })),
      dataSubjects: activity.subjects.map((s) => ({ code: s.code, name: s.name })),
      systems: activity.systems.map((s) => ({
        code: s.code,
        name: s.name,
        country: s.locationCountry,
      })),
      retention: { days: activity.retentionDays, note: activity.retentionNote },
      securityMeasures: activity.securityMeasures,
    }
  }

  private transferOf(flow: DataFlow, verdict: TransferVerdict): RopaTransfer {
    const country = verdict.countries.find((c) => c.country === flow.destinationCountry)
    const notes = country
      ? country.reasons
      : [
          `${flow.subprocessor.name} does not list ${flow.destinationCountry} among its processing countries.`,
        ]
    const subprocessorNotes = verdict.reasons.filter(
      (r) => !verdict.countries.some((c) => c.reasons.includes(r))
    )
    return {
      flow: flow.name,
      fromSystem: flow.system.name,
      fromSystemCode: flow.system.code,
      recipient: flow.subprocessor.name,
      recipientService: flow.subprocessor.service,
      recipientStatus: flow.subprocessor.status,
      country: flow.destinationCountry,
      countryName: countryName(flow.destinationCountry),
      mechanism: flow.transferMechanism,
      safeguards: mechanismLabel(flow.transferMechanism),
      recipientMechanism: mechanismLabel(flow.subprocessor.transferMechanism),
      dpaSignedOn: flow.subprocessor.dpaSignedOn?.toISODate() ?? null,
      dataCategories: flow.categories.map((c) => c.code),
      compliant: !!country?.compliant && subprocessorNotes.length === 0,
      complianceNotes: [...subprocessorNotes, ...notes],
    }
  }

  /** One row per controller × activity: what a spreadsheet-minded auditor expects. */
  toCsv(record: RopaRecord) {
    const header = [
      'controller',
      'controller_country',
      'activity_code',
      'activity',
      'purpose',
      'data_categories',
      'data_subjects',
      'systems',
      'retention_days',
      'third_country_transfers',
      'processor',
      'dpo_email',
    ]
    const rows = record.controllers.flatMap((controller) =>
      controller.activities.map((activity) => {
        const systemCodes = new Set(activity.systems.map((s) => s.code))
        const transfers = controller.transfers
          .filter((t) => systemCodes.has(t.fromSystemCode))
          .map((t) => `${t.recipient} (${t.country}; ${t.safeguards})`)
        return [
          controller.name,
          controller.country,
          activity.code,
          activity.name,
          activity.purpose.code,
          activity.dataCategories.map((c) => c.code).join('; '),
          activity.dataSubjects.map((s) => s.code).join('; '),
          activity.systems.map((s) => `${s.name} (${s.country})`).join('; '),
          String(activity.retention.days),
          [...new Set(transfers)].join('; '),
          record.processor.name,
          record.dpo.email,
        ]
      })
    )
    return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
  }
}

/* RFC 4180 quoting, and a leading quote against spreadsheet formula injection. */
export function csvCell(value: string) {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export default new RopaService()
