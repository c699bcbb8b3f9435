import type { HttpContext } from '@adonisjs/core/http'
import { can } from '#access/services/authorization'
import { principalOf } from '#access/principal'
import { currentActor } from '#audit/actor'
import { dispatch, jobStatus } from '#core/queue'
import { isApiRequest } from '#core/api_error'
import { FieldInvalid, Forbidden, NotFound } from '#core/errors'
import { pageOf } from '#core/pagination'
import Merchant from '#merchants/models/merchant'
import { namesOf, userIdOfLabel } from '#access/services/people'
import { REPORT_REVIEW_PURPOSE } from '#reports/generated_by'
import { reportKind, reportKinds } from '#reports/registry'
import reportService, { checkReportArguments } from '#reports/services/report_service'
import { downloadableReport, permittedKinds, visibleReports } from '#reports/services/report_access'
import { generateReportValidator, reportListValidator } from '#reports/validators/report'

export default class ReportsController {
  /** Generated reports, filterable by kind and merchant, with the generate form. */
  async index(ctx: HttpContext) {
    const { request, view } = ctx
    const principal = principalOf(ctx)
    const filters = await request.validateUsing(reportListValidator, { data: request.qs() })
    const { page, perPage } = pageOf(filters)

    const kinds = await permittedKinds(principal)
    const query = visibleReports(principal, kinds)
    if (filters.kind) query.where('kind', filters.kind)
    const merchants = principal.merchantId === null ? await Merchant.query().orderBy('slug') : []
    if (filters.merchant) {
      const merchant = merchants.find((m) => m.slug === filters.merchant)
      query.where('merchant_id', merchant?.id ?? -1)
    }
    const reports = await query
      .preload('merchant')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, perPage)
    reports.baseUrl(request.url())
    reports.queryString({ kind: filters.kind, merchant: filters.merchant, perPage })
    const names = await namesOf(
      principal,
      reports.all().map((report) => userIdOfLabel(report.generatedBy)),
      REPORT_REVIEW_PURPOSE
    )

    return view.render('pages/reports/index', {
      reports,
      names: Object.fromEntries(names),
      userIdOfLabel,
      filters,
      kinds: reportKinds().filter((k) => kinds.includes(k.kind)),
      kindTitles: Object.fromEntries(reportKinds().map((k) => [k.kind, k.title])),
      merchants,
      canGenerate: await can(principal, 'reports:generate'),
      jobId: filters.job ?? null,
    })
  }

  /** Queues a report; the page then follows the job's progress. */
  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const principal = principalOf(ctx)
    const input = await request.validateUsing(generateReportValidator)
    const definition = reportKind(input.kind)
    if (!definition || !(await can(principal, definition.permission))) {
      throw new Forbidden('You may not generate this kind of report.')
    }
    const merchant = input.merchant ? await Merchant.findBy('slug', input.merchant) : null
    if (principal.merchantId !== null && merchant?.id !== principal.merchantId) {
      throw new NotFound('merchant')
    }
    if (input.merchant && !merchant)
      throw new FieldInvalid(
        'merchant',
        ctx.i18n.t('reports.flash.no_such_merchant'),
        'reports_merchant_unknown'
      )
    checkReportArguments(input.kind, definition, {
      merchant,
      period: input.period,
      record: input.record,
    })

    const job = await dispatch('reports.generate', {
      kind: input.kind,
      merchantId: merchant?.id ?? null,
      period: input.period ?? null,
      record: input.record ?? null,
      userId: principal.userId,
    })
    if (isApiRequest(ctx)) {
      return response.accepted({ jobId: job.id, statusUrl: `/reports/jobs/${job.id}` })
    }
    session.flash(
      'success',
      ctx.i18n.t('reports.flash.generating', {
        title: ctx.i18n.t(`reports.kind.${input.kind}.title`, {}, definition.title),
      })
    )
    return response.redirect().toRoute('reports.index', {}, { qs: { job: job.id } })
  }

  /** Progress of a generate job, for the page's progress bar; only its requester may follow it. */
  async job(ctx: HttpContext) {
    const principal = principalOf(ctx)
    const job = await jobStatus('reports.generate', ctx.params.id)
    if (!job || job.payload.userId !== principal.userId) throw new NotFound('job')
    const result = job.result as { documentId: string } | null
    const kind = String(job.payload.kind)
    const title = reportKind(kind)?.title
    return ctx.response.json({
      id: job.id,
      // The reader's language, as on the page (a kind's English is its registry title)
      title: title ? ctx.i18n.t(`reports.kinds.${kind}.title`, {}, title) : null,
      state: job.state,
      progress: job.percent,
      documentId: result?.documentId ?? null,
      downloadUrl: result ? `/reports/${result.documentId}/download` : null,
      error: job.error,
    })
  }

  async download(ctx: HttpContext) {
    const principal = principalOf(ctx)
    const report = await downloadableReport(principal, ctx.params.documentId)
    const bytes = await reportService.download(report, currentActor())
    const day = report.createdAt.toUTC().toFormat('yyyy-MM-dd')
    return ctx.response
      .header('content-type', 'application/pdf')
      .header(
        'content-disposition',
        `attachment; filename="${report.kind}-${day}-${report.documentId.slice(0, 8)}.pdf"`
      )
      .header('cache-control', 'no-store')
      .send(bytes)
  }
}
