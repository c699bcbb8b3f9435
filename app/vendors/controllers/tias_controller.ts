import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import router from '@adonisjs/core/services/router'
import { countryName, countryOptions } from '#core/countries'
import TransferImpactAssessment, {
  RISK_RATINGS,
  SUPPLEMENTARY_MEASURES,
  TIA_STEPS,
} from '#vendors/models/transfer_impact_assessment'
import transferAssessments, { measureInPlace } from '#vendors/services/transfer_assessments'
import { tiaDraftValidator, tiaFilterValidator } from '#vendors/validators/tia'
import { principalOf } from '#access/principal'

const formOptions = () => ({
  countries: countryOptions(),
  steps: TIA_STEPS,
  risks: RISK_RATINGS,
  measures: Object.entries(SUPPLEMENTARY_MEASURES)
    .filter(([value]) => measureInPlace(value as keyof typeof SUPPLEMENTARY_MEASURES))
    .map(([value, label]) => ({ value, label })),
})

function formValues(tia: TransferImpactAssessment | null) {
  if (!tia) return { supplementaryMeasures: [] as string[] }
  return {
    ...Object.fromEntries(TIA_STEPS.map(([field]) => [field, tia[field]])),
    countryCode: tia.countryCode,
    title: tia.title,
    riskRating: tia.riskRating,
    supplementaryMeasures: tia.supplementaryMeasures,
    reviewedOn: tia.reviewedOn?.toISODate(),
    nextReviewOn: tia.nextReviewOn?.toISODate(),
  }
}

/** Console pages for transfer impact assessments and their due list. */
export default class TiasController {
  async index({ request, view }: HttpContext) {
    const filter = await tiaFilterValidator.validate(request.qs())
    const tias = await transferAssessments.list(filter)
    tias.baseUrl(router.makeUrl('vendors.tias.index'))
    tias.queryString({ country: filter.country, dueState: filter.dueState })
    return view.render('pages/vendors/tias/index', {
      tias,
      due: await transferAssessments.dueList(),
      filter,
      countryName,
      countries: countryOptions(),
    })
  }

  async show({ params, view }: HttpContext) {
    const tia = await transferAssessments.find(Number(params.id))
    return view.render('pages/vendors/tias/show', {
      tia,
      countryName,
      steps: TIA_STEPS,
      measureLabels: SUPPLEMENTARY_MEASURES,
      compliance: await transferAssessments.isTransferCompliant(tia.countryCode),
    })
  }

  /** `?from=<id>` starts a re-assessment prefilled from an earlier TIA, dated today. */
  async create({ request, view }: HttpContext) {
    const fromId = Number(request.qs().from)
    const from =
      Number.isInteger(fromId) && fromId > 0 ? await transferAssessments.find(fromId) : null
    const today = DateTime.utc().startOf('day')
    const values = from
      ? {
          ...formValues(from),
          // A re-assessment decides the risk afresh: nothing is pre-selected
          riskRating: undefined,
          reviewedOn: today.toISODate(),
          nextReviewOn: today.plus({ years: 1 }).toISODate(),
        }
      : formValues(null)
    return view.render('pages/vendors/tias/form', {
      tia: null,
      values,
      ...formOptions(),
    })
  }

  async store(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(tiaDraftValidator)
    const tia = await transferAssessments.create(payload, principalOf(ctx).userId)
    ctx.session.flash('success', ctx.i18n.t('vendors.flash.tia_draft'))
    return ctx.response.redirect().toRoute('vendors.tias.show', { id: tia.id })
  }

  async edit({ params, view }: HttpContext) {
    const tia = await transferAssessments.find(Number(params.id))
    return view.render('pages/vendors/tias/form', {
      tia,
      values: formValues(tia),
      ...formOptions(),
    })
  }

  async update(ctx: HttpContext) {
    const tia = await transferAssessments.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(tiaDraftValidator)
    await transferAssessments.update(tia, payload)
    ctx.session.flash('success', ctx.i18n.t('vendors.flash.tia_saved'))
    return ctx.response.redirect().toRoute('vendors.tias.show', { id: tia.id })
  }

  async approve(ctx: HttpContext) {
    const tia = await transferAssessments.find(Number(ctx.params.id))
    await transferAssessments.approve(tia, principalOf(ctx).userId)
    ctx.session.flash(
      'success',
      ctx.i18n.t('vendors.flash.tia_approved', { country: countryName(tia.countryCode) })
    )
    return ctx.response.redirect().toRoute('vendors.tias.show', { id: tia.id })
  }
}
