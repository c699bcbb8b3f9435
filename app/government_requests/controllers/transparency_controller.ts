import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { principalOf } from '#access/principal'
import { countryName } from '#core/countries'
import { requesterLabel } from '#reports/generated_by'
import TransparencyReport from '#government_requests/models/transparency_report'
import transparency from '#government_requests/services/transparency'
import { transparencyValidator } from '#government_requests/validators/government_request'

/** The current half-year, e.g. `2026-H2`. */
const currentHalf = () => {
  const now = DateTime.utc()
  return `${now.year}-H${now.month <= 6 ? 1 : 2}`
}

/** Transparency reports: the public page and JSON/CSV, and the legal team's preview and publish. */
export default class TransparencyController {
  /** `/transparency`: the latest published report. */
  async public({ view }: HttpContext) {
    const latest = await TransparencyReport.query().orderBy('period', 'desc').first()
    return view.render('pages/government_requests/transparency_public', {
      report: latest,
      figures: latest?.figures ?? null,
      countryName,
    })
  }

  async publicJson({ response }: HttpContext) {
    const latest = await transparency.latest()
    return response.header('cache-control', 'public, max-age=300').json({
      period: latest.period,
      publishedAt: latest.publishedAt.toUTC().toISO(),
      reportDocumentId: latest.reportDocumentId,
      figures: latest.figures,
    })
  }

  async publicCsv({ response }: HttpContext) {
    const latest = await transparency.latest()
    return response
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="transparency-${latest.period}.csv"`)
      .send(transparency.toCsv(latest.figures))
  }

  /** The console preview of a half-year before it is published. */
  async preview({ request, view }: HttpContext) {
    const period = request.qs().period ? String(request.qs().period) : currentHalf()
    const { period: chosen } = await transparencyValidator.validate({ period })
    return view.render('pages/government_requests/transparency', {
      figures: await transparency.figures(chosen),
      published: await TransparencyReport.query().orderBy('period', 'desc'),
      countryName,
    })
  }

  async publish(ctx: HttpContext) {
    const { period } = await ctx.request.validateUsing(transparencyValidator)
    const principal = principalOf(ctx)
    const published = await transparency.publish(
      period,
      principal.userId,
      requesterLabel(principal)
    )
    ctx.session.flash(
      'success',
      ctx.i18n.t('government.flash.published', { period: published.period })
    )
    return ctx.response.redirect().toRoute(
      'government_requests.transparency.preview',
      {},
      {
        qs: { period: published.period },
      }
    )
  }
}
