import { DateTime } from 'luxon'
import { auditedWrite, saveAudited } from '#audit/services/audited_write'
import auditTrail from '#audit/services/audit_trail'
import { Conflict, NotFound } from '#core/errors'
import { countryName, hasAdequacy, isEea } from '#core/countries'
import Subprocessor, { type TransferMechanism } from '#vendors/models/subprocessor'
import TransferImpactAssessment, { type DueState } from '#vendors/models/transfer_impact_assessment'
import type { TiaInput } from '#vendors/validators/tia'
import sccAgreements from '#vendors/services/scc_agreements'

/** TIAs due within this many days are flagged "due soon". */
export const DUE_SOON_DAYS = 30

export interface CountryVerdict {
  country: string
  compliant: boolean
  mechanism: string
  tiaId: number | null
  reasons: string[]
}

export interface TransferVerdict {
  compliant: boolean
  reasons: string[]
  countries: CountryVerdict[]
}

const today = () => DateTime.utc().startOf('day')

/** Pure: the due state of a review date on a given day. */
export function dueStateOf(nextReviewOn: DateTime, on: DateTime = today()): DueState {
  if (nextReviewOn < on) return 'overdue'
  if (nextReviewOn <= on.plus({ days: DUE_SOON_DAYS })) return 'due_soon'
  return 'ok'
}

/** Transfer impact assessments and the compliance question the guard asks. */
export class TransferAssessments {
  list(filter: { country?: string; dueState?: DueState; page?: number; perPage?: number }) {
    const query = TransferImpactAssessment.query()
      .orderBy('country_code')
      .orderBy('reviewed_on', 'desc')
    if (filter.country) query.where('country_code', filter.country)
    if (filter.dueState) query.where('due_state', filter.dueState).where('status', 'approved')
    return query.paginate(filter.page ?? 1, filter.perPage ?? 25)
  }

  async find(id: number) {
    const tia = await TransferImpactAssessment.find(id)
    if (!tia) throw new NotFound('transfer impact assessment')
    return tia
  }

  /** Approved TIAs overdue or due within DUE_SOON_DAYS, soonest first. */
  dueList() {
    return TransferImpactAssessment.query()
      .where('status', 'approved')
      .where('next_review_on', '<=', today().plus({ days: DUE_SOON_DAYS }).toISODate()!)
      .orderBy('next_review_on')
  }

  /** The approved, unexpired TIA for a destination, if there is one. */
  currentFor(country: string) {
    return TransferImpactAssessment.query()
      .where({ countryCode: country, status: 'approved' })
      .where('next_review_on', '>=', today().toISODate()!)
      .orderBy('reviewed_on', 'desc')
      .first()
  }

  async create(input: TiaInput) {
    const tia = new TransferImpactAssessment()
    this.assign(tia, input)
    tia.status = 'draft'
    return saveAudited(tia, {
      action: 'vendors.tia.create',
      targetType: 'transfer_impact_assessment',
      meta: { country: tia.countryCode },
    })
  }

  /** Approved TIAs are evidence; a re-assessment is a new draft that supersedes on approval. */
  async update(tia: TransferImpactAssessment, input: TiaInput) {
    if (tia.status !== 'draft') {
      throw new Conflict(
        'tia_not_draft',
        'Only a draft TIA can be edited; start a new assessment to revise an approved one.'
      )
    }
    this.assign(tia, input)
    return saveAudited(tia, {
      action: 'vendors.tia.update',
      targetType: 'transfer_impact_assessment',
    })
  }

  async approve(tia: TransferImpactAssessment, actorUserId?: number | null) {
    if (tia.status !== 'draft')
      throw new Conflict('tia_not_draft', 'Only a draft TIA can be approved.')
    return auditedWrite(
      async (trx) => {
        await TransferImpactAssessment.query({ client: trx })
          .where({ countryCode: tia.countryCode, status: 'approved' })
          .update({ status: 'superseded', updated_at: DateTime.utc().toSQL() })
        tia.useTransaction(trx)
        tia.merge({
          status: 'approved',
          approvedByUserId: actorUserId ?? null,
          approvedAt: DateTime.utc(),
          dueState: dueStateOf(tia.nextReviewOn),
          dueCheckedAt: DateTime.utc(),
        })
        return tia.save()
      },
      {
        action: 'vendors.tia.approve',
        target: { type: 'transfer_impact_assessment', id: tia.id },
        meta: { country: tia.countryCode, risk: tia.riskRating },
      }
    )
  }

  /** Recomputes every approved TIA's due state; the counts feed the dashboard. */
  async flagDue(on: DateTime = today()) {
    const tias = await TransferImpactAssessment.query().where('status', 'approved')
    const counts: Record<DueState, number> = { ok: 0, due_soon: 0, overdue: 0 }
    for (const tia of tias) {
      const state = dueStateOf(tia.nextReviewOn, on)
      counts[state]++
      tia.merge({ dueState: state, dueCheckedAt: DateTime.utc() })
      await tia.save()
    }
    await auditTrail.record({
      action: 'vendors.tia.flag_due',
      actor: { type: 'system' },
      meta: { checked: tias.length, ...counts },
    })
    return { checked: tias.length, ...counts }
  }

  /**
   * One call for the guard: a transfer is compliant only with a valid Chapter V mechanism and,
   * outside the EEA and adequacy, a current TIA for the destination. Given a subprocessor,
   * every processing country is checked; given a country code, the hub's own inbound transfer
   * to it (e.g. EG under the Module 2 SCCs).
   */
  async isTransferCompliant(target: number | string): Promise<TransferVerdict> {
    if (typeof target === 'string') {
      const verdict = await this.checkCountry(target.toUpperCase(), null, null)
      return { compliant: verdict.compliant, reasons: verdict.reasons, countries: [verdict] }
    }
    const subprocessor = await Subprocessor.find(target)
    if (!subprocessor)
      return { compliant: false, reasons: ['Unknown subprocessor.'], countries: [] }
    const reasons: string[] = []
    if (subprocessor.status !== 'effective')
      reasons.push(`${subprocessor.name} is ${subprocessor.status}, not effective.`)
    const countries: CountryVerdict[] = []
    for (const country of subprocessor.processingCountries) {
      countries.push(await this.checkCountry(country, subprocessor.transferMechanism, subprocessor))
    }
    for (const verdict of countries) reasons.push(...verdict.reasons)
    return { compliant: reasons.length === 0, reasons, countries }
  }

  private async checkCountry(
    country: string,
    mechanism: TransferMechanism | null,
    subprocessor: Subprocessor | null
  ): Promise<CountryVerdict> {
    const name = countryName(country)
    const verdict = (
      used: string,
      reasons: string[],
      tiaId: number | null = null
    ): CountryVerdict => ({
      country,
      compliant: reasons.length === 0,
      mechanism: used,
      tiaId,
      reasons,
    })
    if (isEea(country)) return verdict('none_eea', [])
    if (hasAdequacy(country) && (mechanism === null || mechanism === 'adequacy'))
      return verdict('adequacy', [])
    if (mechanism === 'dpf' && country === 'US') return verdict('dpf', [])

    const reasons: string[] = []
    let used: string = mechanism ?? 'scc'
    if (mechanism === null) {
      const agreements = await sccAgreements.activeWithImporterIn(country)
      if (agreements.length === 0)
        reasons.push(`No active SCC agreement has an importer in ${name}.`)
      else used = `scc_module_${agreements[0].module}`
    } else if (mechanism === 'scc_module_2' || mechanism === 'scc_module_3') {
      const module = mechanism === 'scc_module_2' ? 2 : 3
      const agreements = await sccAgreements.activeFor(subprocessor!.id, module)
      if (agreements.length === 0) {
        reasons.push(
          `${subprocessor!.name} relies on SCC Module ${module} but no active Module ${module} agreement binds it.`
        )
      }
    } else if (mechanism === 'art49_derogation') {
      reasons.push(
        `Art. 49 derogations cover occasional transfers only, not regular processing in ${name}.`
      )
    } else if (mechanism !== 'bcr') {
      reasons.push(`The mechanism ${mechanism} does not cover ${name}.`)
    }

    const tia = await this.currentFor(country)
    if (!tia) reasons.push(`No current transfer impact assessment for ${name}.`)
    return verdict(used, reasons, tia?.id ?? null)
  }

  private assign(tia: TransferImpactAssessment, input: TiaInput) {
    tia.merge({
      countryCode: input.countryCode,
      title: input.title,
      step1Transfers: input.step1Transfers,
      step2Tool: input.step2Tool,
      step3Assessment: input.step3Assessment,
      step4Measures: input.step4Measures,
      step5Procedural: input.step5Procedural,
      step6Reevaluation: input.step6Reevaluation,
      riskRating: input.riskRating,
      supplementaryMeasures: input.supplementaryMeasures ?? [],
      reviewedOn: DateTime.fromJSDate(input.reviewedOn),
      nextReviewOn: DateTime.fromJSDate(input.nextReviewOn),
    })
  }
}

const transferAssessments = new TransferAssessments()
export default transferAssessments
