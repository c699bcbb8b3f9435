import { DateTime } from 'luxon'
import { auditedWrite, saveAudited } from '#audit/services/audited_write'
import { errors } from '@vinejs/vine'
import { Conflict, DomainError, FieldInvalid, NotFound } from '#core/errors'
import { fieldLabel } from '#core/validation_messages'
import { countryName, hasAdequacy, isEea } from '#core/countries'
import Subprocessor, { type TransferMechanism } from '#vendors/models/subprocessor'
import TransferImpactAssessment, {
  MEASURE_CLAIMS,
  SUPPLEMENTARY_MEASURES,
  TIA_STEPS,
  type DueState,
  type SupplementaryMeasure,
} from '#vendors/models/transfer_impact_assessment'
import { isBacked } from '#data_map/claimed_measures'
import { tiaValidator, type TiaDraftInput } from '#vendors/validators/tia'
import sccAgreements from '#vendors/services/scc_agreements'
import { assertNotSameActor } from '#access/services/segregation_of_duties'

/** TIAs due within this many days are flagged "due soon". */
export const DUE_SOON_DAYS = 30

/** Where Conversera (the exporter of every onward transfer) is established. */
export const HUB_COUNTRY = 'EG'

/** One legal regime's answer: GDPR Chapter V, or PDPL Arts. 14–16 for transfers out of Egypt. */
export interface RegimeVerdict {
  compliant: boolean
  reasons: string[]
}

export interface CountryVerdict {
  country: string
  /** Both regimes are satisfied. */
  compliant: boolean
  mechanism: string
  tiaId: number | null
  reasons: string[]
  gdpr: RegimeVerdict
  pdpl: RegimeVerdict
}

export interface TransferVerdict {
  compliant: boolean
  reasons: string[]
  countries: CountryVerdict[]
}

const regime = (reasons: string[]): RegimeVerdict => ({ compliant: !reasons.length, reasons })

const today = () => DateTime.utc().startOf('day')

/** Whether the hub really applies this supplementary measure today. */
export function measureInPlace(measure: SupplementaryMeasure) {
  const claim = MEASURE_CLAIMS[measure]
  return !claim || isBacked(claim)
}

/** A TIA may rely only on measures that are in place. */
function assertMeasuresInPlace(measures: SupplementaryMeasure[]) {
  const missing = measures.filter((m) => !measureInPlace(m))
  if (missing.length) {
    throw new FieldInvalid(
      'supplementaryMeasures',
      `Not in place yet, so an assessment cannot rely on it: ${missing.map((m) => SUPPLEMENTARY_MEASURES[m]).join(', ')}.`,
      'vendors_measures_not_in_place'
    )
  }
}

/** Pure: the due state of a review date on a given day. */
export function dueStateOf(nextReviewOn: DateTime, on: DateTime = today()): DueState {
  if (nextReviewOn < on) return 'overdue'
  if (nextReviewOn <= on.plus({ days: DUE_SOON_DAYS })) return 'due_soon'
  return 'ok'
}

/** Transfer impact assessments and the compliance question the guard asks. */
/**
 * A draft may be saved incomplete; approval needs the whole assessment, checked against the same
 * rules as a complete form (`tiaValidator`). Refuses with the missing parts named as the form
 * labels them; returns the next review date it now knows is set.
 */
async function assertComplete(tia: TransferImpactAssessment): Promise<DateTime> {
  try {
    await tiaValidator.validate({
      ...Object.fromEntries(TIA_STEPS.map(([field]) => [field, tia[field] ?? undefined])),
      countryCode: tia.countryCode,
      title: tia.title,
      riskRating: tia.riskRating ?? undefined,
      supplementaryMeasures: tia.supplementaryMeasures,
      reviewedOn: tia.reviewedOn?.toISODate() ?? undefined,
      nextReviewOn: tia.nextReviewOn?.toISODate() ?? undefined,
    })
  } catch (error) {
    if (!(error instanceof errors.E_VALIDATION_ERROR)) throw error
    const fields = [...new Set((error.messages as Array<{ field: string }>).map((m) => m.field))]
    throw new DomainError(
      'tia_incomplete',
      `Complete the assessment before approving it: ${fields.map(fieldLabel).join(', ')}.`,
      { status: 422, details: fields.map((field) => ({ field })) }
    )
  }
  return tia.nextReviewOn!
}

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

  /** `preparedByUserId` is who drafts it: someone else must approve it. */
  async create(input: TiaDraftInput, preparedByUserId: number | null) {
    const tia = new TransferImpactAssessment()
    this.assign(tia, input)
    tia.status = 'draft'
    tia.preparedByUserId = preparedByUserId
    return saveAudited(tia, {
      action: 'vendors.tia.create',
      targetType: 'transfer_impact_assessment',
      meta: { country: tia.countryCode },
    })
  }

  /** Approved TIAs are evidence; a re-assessment is a new draft that supersedes on approval. */
  async update(tia: TransferImpactAssessment, input: TiaDraftInput) {
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

  /** A second person approves: the preparer cannot (policy; `assertNotSameActor`). */
  async approve(tia: TransferImpactAssessment, actorUserId: number) {
    if (tia.status !== 'draft')
      throw new Conflict('tia_not_draft', 'Only a draft TIA can be approved.')
    const nextReviewOn = await assertComplete(tia)
    await assertNotSameActor(tia.preparedByUserId, actorUserId, {
      what: 'transfer impact assessment',
      target: { type: 'transfer_impact_assessment', id: tia.id },
    })
    return auditedWrite(
      async (trx) => {
        await TransferImpactAssessment.query({ client: trx })
          .where({ countryCode: tia.countryCode, status: 'approved' })
          .update({ status: 'superseded', updated_at: DateTime.utc().toSQL() })
        tia.useTransaction(trx)
        tia.merge({
          status: 'approved',
          approvedByUserId: actorUserId,
          approvedAt: DateTime.utc(),
          dueState: dueStateOf(nextReviewOn),
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
    await auditedWrite(
      async (trx) => {
        for (const tia of tias) {
          if (!tia.nextReviewOn) continue
          const state = dueStateOf(tia.nextReviewOn, on)
          counts[state]++
          tia.merge({ dueState: state, dueCheckedAt: DateTime.utc() })
          tia.useTransaction(trx)
          await tia.save()
        }
      },
      () => ({
        action: 'vendors.tia.flag_due',
        actor: { type: 'system' },
        meta: { checked: tias.length, ...counts },
      })
    )
    return { checked: tias.length, ...counts }
  }

  /**
   * One call for the guard: a transfer is compliant only when both regimes are satisfied. GDPR:
   * a valid Chapter V mechanism (`dpf` only with a recorded certification) and, outside the EEA
   * and adequacy, a current TIA. PDPL (Art. 14): a transfer from the hub in Egypt abroad needs
   * the PDPC licence on record. Given a subprocessor, every processing country is checked; given
   * a country code, the merchants' transfer to the hub there (e.g. EG under the Module 2 SCCs).
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
    const gdpr = await this.checkGdpr(country, mechanism, subprocessor)
    const pdpl = regime(
      subprocessor && country !== HUB_COUNTRY && !subprocessor.pdplLicenceReference
        ? [
            `No PDPC transfer licence (PDPL Art. 14) is recorded for transfers from Egypt to ${subprocessor.name} in ${countryName(country)}.`,
          ]
        : []
    )
    const reasons = [...gdpr.reasons, ...pdpl.reasons]
    return {
      country,
      compliant: reasons.length === 0,
      mechanism: gdpr.mechanism,
      tiaId: gdpr.tiaId,
      reasons,
      gdpr: regime(gdpr.reasons),
      pdpl,
    }
  }

  private async checkGdpr(
    country: string,
    mechanism: TransferMechanism | null,
    subprocessor: Subprocessor | null
  ): Promise<{ mechanism: string; tiaId: number | null; reasons: string[] }> {
    const name = countryName(country)
    if (isEea(country)) return { mechanism: 'none_eea', tiaId: null, reasons: [] }
    if (hasAdequacy(country) && (mechanism === null || mechanism === 'adequacy'))
      return { mechanism: 'adequacy', tiaId: null, reasons: [] }
    if (mechanism === 'dpf' && country === 'US') {
      const certified = subprocessor!.dpfCertificationEntry && subprocessor!.dpfCertifiedOn
      return {
        mechanism: 'dpf',
        tiaId: null,
        reasons: certified
          ? []
          : [
              `${subprocessor!.name} relies on the EU-US Data Privacy Framework but no certification (list entry and date) is recorded.`,
            ],
      }
    }

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
    return { mechanism: used, tiaId: tia?.id ?? null, reasons }
  }

  private assign(tia: TransferImpactAssessment, input: TiaDraftInput) {
    assertMeasuresInPlace(input.supplementaryMeasures ?? [])
    if (input.reviewedOn && input.nextReviewOn && input.nextReviewOn <= input.reviewedOn) {
      throw new FieldInvalid(
        'nextReviewOn',
        'Next review must be after the review date.',
        'vendors_next_review_before_review'
      )
    }
    tia.merge({
      countryCode: input.countryCode,
      title: input.title,
      step1Transfers: input.step1Transfers ?? null,
      step2Tool: input.step2Tool ?? null,
      step3Assessment: input.step3Assessment ?? null,
      step4Measures: input.step4Measures ?? null,
      step5Procedural: input.step5Procedural ?? null,
      step6Reevaluation: input.step6Reevaluation ?? null,
      riskRating: input.riskRating ?? null,
      supplementaryMeasures: input.supplementaryMeasures ?? [],
      reviewedOn: input.reviewedOn ? DateTime.fromJSDate(input.reviewedOn) : null,
      nextReviewOn: input.nextReviewOn ? DateTime.fromJSDate(input.nextReviewOn) : null,
    })
  }
}

const transferAssessments = new TransferAssessments()
export default transferAssessments
