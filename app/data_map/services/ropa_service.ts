import { DateTime } from 'luxon'
import env from '#start/env'
import { countryName } from '#core/countries'
import Merchant from '#merchants/models/merchant'
import { controllerDetailsOf, type ControllerDetails } from '#merchants/services/controller_details'
import Subprocessor, {
  TRANSFER_MECHANISM_LABELS,
  type TransferMechanism,
} from '#vendors/models/subprocessor'
import ProcessingActivity from '#data_map/models/processing_activity'
import DataFlow from '#data_map/models/data_flow'
import System from '#data_map/models/system'
import DataCategory from '#data_map/models/data_category'
import MerchantRetentionOverride from '#data_map/models/merchant_retention_override'
import vendors from '#vendors/services/vendors'
import { HUB_COUNTRY, type TransferVerdict } from '#vendors/services/transfer_assessments'
import type { FlowMechanism } from '#data_map/taxonomy'
import { platformMeasures, withoutUnbackedClaims } from '#data_map/claimed_measures'

/** Where the processor is established: flows that stay here are not third-country transfers. */
const PROCESSOR_COUNTRY = HUB_COUNTRY

export interface RopaActivity {
  code: string
  name: string
  description: string
  scope: 'all_merchants' | 'this_merchant'
  purpose: { code: string; name: string }
  dataCategories: Array<{ code: string; name: string; specialCategory: boolean }>
  dataSubjects: Array<{ code: string; name: string }>
  systems: Array<{ code: string; name: string; country: string }>
  retention: {
    days: number
    note: string
    /** The rule of each category the activity covers, and the controller's shorter instruction. */
    categories: RopaCategoryRetention[]
  }
  securityMeasures: string[]
}

export interface RopaCategoryRetention {
  code: string
  ruleDays: number | null
  instructionDays: number | null
  /** What the purge applies: the instruction if there is one, else the rule. */
  appliesDays: number | null
}

export interface RopaInstruction {
  category: string
  days: number
  reason: string
  recordedBy: 'merchant' | 'staff'
}

export interface RopaTransfer {
  /** A mapped data flow, or a processing country the subprocessor register lists. */
  source: 'data_flow' | 'subprocessor_register'
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
  contact: { address: string | null; email: string | null }
  dpo: ControllerDetails['dpo']
  representative: ControllerDetails['representative']
  retentionInstructions: RopaInstruction[]
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
      .preload('categories', (q) => q.orderBy('code').preload('retentionRule'))
      .preload('subjects', (q) => q.orderBy('code'))
      .preload('systems', (q) => q.orderBy('code'))
      .orderBy('code')
    const flows = await DataFlow.query()
      .preload('system')
      .preload('subprocessor')
      .preload('categories', (q) => q.orderBy('code'))
      .orderBy('id')
    const operated = await System.query().whereNotNull('subprocessor_id').preload('subprocessor')
    const overrides = await MerchantRetentionOverride.query()
      .whereIn(
        'merchant_id',
        merchants.map((m) => m.id)
      )
      .preload('category')

    const verdicts = new Map<number, TransferVerdict>()
    const subprocessorIds = new Set([
      ...flows.map((f) => f.subprocessorId),
      ...operated.map((s) => s.subprocessorId!),
    ])
    for (const id of subprocessorIds) verdicts.set(id, await vendors.isTransferCompliant(id))

    const controllers = merchants.map((m) => {
      const own = activities.filter((a) => a.merchantId === null || a.merchantId === m.id)
      const instructions = overrides.filter((o) => o.merchantId === m.id)
      const systemIds = new Set(own.flatMap((a) => a.systems.map((s) => s.id)))
      const details = controllerDetailsOf(m)
      return {
        merchantId: m.id,
        name: m.legalName,
        slug: m.slug,
        country: m.countryCode,
        contact: { address: details.address, email: details.email },
        dpo: details.dpo,
        representative: details.representative,
        retentionInstructions: instructions
          .map((o) => ({
            category: o.category.code,
            days: o.durationDays,
            reason: o.reason,
            recordedBy: o.recordedBy,
          }))
          .sort((a, b) => a.category.localeCompare(b.category)),
        activities: own.map((a) => this.activityOf(a, instructions)),
        transfers: this.transfersOf(
          flows.filter((f) => systemIds.has(f.systemId)),
          operated.filter((s) => systemIds.has(s.id)),
          verdicts
        ),
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
      securityMeasures: withoutUnbackedClaims([
        ...platformMeasures(),
        ...systemMeasures,
        ...activityMeasures,
      ]),
    }
  }

  private activityOf(
    activity: ProcessingActivity,
    instructions: MerchantRetentionOverride[]
  ): RopaActivity {
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
      retention: {
        days: activity.retentionDays,
        note: activity.retentionNote,
        categories: activity.categories.map((c) => categoryRetention(c, instructions)),
      },
      securityMeasures: withoutUnbackedClaims([
        ...activity.securityMeasures,
        ...activity.systems.flatMap((s) => s.securityMeasures),
      ]),
    }
  }

  /**
   * The controller's third-country transfers: every mapped flow leaving Egypt, plus every
   * other country the subprocessor register lists for a subprocessor these systems reach (e.g.
   * a host's support access from the US), so the record holds what the registers know.
   */
  private transfersOf(
    flows: DataFlow[],
    operatedSystems: System[],
    verdicts: Map<number, TransferVerdict>
  ): RopaTransfer[] {
    const rows = flows
      .filter((f) => f.destinationCountry !== PROCESSOR_COUNTRY)
      .map((f) => this.transferOf(f, verdicts.get(f.subprocessorId)!))
    const reached = new Map<number, { subprocessor: Subprocessor; systems: Set<string> }>()
    const reach = (subprocessor: Subprocessor, systemName: string) => {
      const entry = reached.get(subprocessor.id) ?? { subprocessor, systems: new Set<string>() }
      entry.systems.add(systemName)
      reached.set(subprocessor.id, entry)
    }
    for (const flow of flows) reach(flow.subprocessor, flow.system.name)
    for (const system of operatedSystems) reach(system.subprocessor, system.name)
    for (const { subprocessor, systems } of reached.values()) {
      for (const country of subprocessor.processingCountries) {
        const mapped = rows.some((r) => r.recipient === subprocessor.name && r.country === country)
        if (country === PROCESSOR_COUNTRY || mapped) continue
        rows.push(
          this.registerTransferOf(
            subprocessor,
            country,
            [...systems].sort(),
            verdicts.get(subprocessor.id)!
          )
        )
      }
    }
    return rows
  }

  private transferOf(flow: DataFlow, verdict: TransferVerdict): RopaTransfer {
    return this.transferRow(verdict, flow.subprocessor, flow.destinationCountry, {
      source: 'data_flow',
      flow: flow.name,
      fromSystem: flow.system.name,
      fromSystemCode: flow.system.code,
      mechanism: flow.transferMechanism,
      dataCategories: flow.categories.map((c) => c.code),
    })
  }

  private registerTransferOf(
    subprocessor: Subprocessor,
    country: string,
    systems: string[],
    verdict: TransferVerdict
  ): RopaTransfer {
    return this.transferRow(verdict, subprocessor, country, {
      source: 'subprocessor_register',
      flow: `${subprocessor.name} processing in ${countryName(country)} (subprocessor register)`,
      fromSystem: systems.join(', '),
      fromSystemCode: '',
      mechanism: subprocessor.transferMechanism,
      dataCategories: subprocessor.dataCategories,
    })
  }

  private transferRow(
    verdict: TransferVerdict,
    subprocessor: Subprocessor,
    destination: string,
    row: Pick<
      RopaTransfer,
      'source' | 'flow' | 'fromSystem' | 'fromSystemCode' | 'mechanism' | 'dataCategories'
    >
  ): RopaTransfer {
    const country = verdict.countries.find((c) => c.country === destination)
    const notes = country
      ? country.reasons
      : [`${subprocessor.name} does not list ${destination} among its processing countries.`]
    const subprocessorNotes = verdict.reasons.filter(
      (r) => !verdict.countries.some((c) => c.reasons.includes(r))
    )
    return {
      ...row,
      recipient: subprocessor.name,
      recipientService: subprocessor.service,
      recipientStatus: subprocessor.status,
      country: destination,
      countryName: countryName(destination),
      safeguards: mechanismLabel(row.mechanism),
      recipientMechanism: mechanismLabel(subprocessor.transferMechanism),
      dpaSignedOn: subprocessor.dpaSignedOn?.toISODate() ?? null,
      compliant: !!country?.compliant && subprocessorNotes.length === 0,
      complianceNotes: [...subprocessorNotes, ...notes],
    }
  }

  /** One row per controller × activity: what a spreadsheet-minded auditor expects. */
  toCsv(record: RopaRecord) {
    const header = [
      'controller',
      'controller_country',
      'controller_contact',
      'controller_dpo',
      'controller_representative',
      'activity_code',
      'activity',
      'purpose',
      'data_categories',
      'data_subjects',
      'systems',
      'retention_days',
      'retention_by_category',
      'third_country_transfers',
      'security_measures',
      'processor',
      'dpo_email',
    ]
    const list = (values: string[]) => values.join('; ')
    const rows = record.controllers.flatMap((controller) =>
      controller.activities.map((activity) => {
        const systemNames = new Set(activity.systems.map((s) => s.name))
        const transfers = controller.transfers
          .filter((t) => t.fromSystem.split(', ').some((name) => systemNames.has(name)))
          .map((t) => `${t.fromSystem} to ${t.recipient} in ${t.countryName} (${t.safeguards})`)
        return [
          controller.name,
          controller.country,
          [controller.contact.address, controller.contact.email].filter(Boolean).join(', '),
          controller.dpo ? `${controller.dpo.name} <${controller.dpo.email}>` : 'none appointed',
          controller.representative
            ? `${controller.representative.name}, ${controller.representative.contact}`
            : 'none designated',
          activity.code,
          activity.name,
          activity.purpose.code,
          list(activity.dataCategories.map((c) => c.code)),
          list(activity.dataSubjects.map((s) => s.code)),
          list(activity.systems.map((s) => `${s.name} (${s.country})`)),
          String(activity.retention.days),
          list(activity.retention.categories.map(retentionText)),
          list([...new Set(transfers)]),
          list(withoutUnbackedClaims([...record.securityMeasures, ...activity.securityMeasures])),
          record.processor.name,
          record.dpo.email,
        ]
      })
    )
    return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
  }
}

/** How long one category is kept for this controller, saying which instruction applies. */
export function retentionText(category: RopaCategoryRetention) {
  if (category.appliesDays === null) return `${category.code}: no rule (kept)`
  return category.instructionDays !== null
    ? `${category.code}: ${category.instructionDays} d (controller instruction, rule ${category.ruleDays} d)`
    : `${category.code}: ${category.ruleDays} d (rule)`
}

function categoryRetention(
  category: DataCategory,
  instructions: MerchantRetentionOverride[]
): RopaCategoryRetention {
  const ruleDays = category.retentionRule?.durationDays ?? null
  const instructionDays =
    instructions.find((o) => o.dataCategoryId === category.id)?.durationDays ?? null
  return {
    code: category.code,
    ruleDays,
    instructionDays,
    appliesDays: instructionDays ?? ruleDays,
  }
}

/* RFC 4180 quoting, and a leading quote against spreadsheet formula injection. */
export function csvCell(value: string) {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export default new RopaService()
