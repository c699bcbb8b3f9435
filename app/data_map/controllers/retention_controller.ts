import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { dispatch, jobStatus } from '#core/queue'
import { NotFound } from '#core/errors'
import { pageOf, pageQuery } from '#core/pagination'
import vine from '@vinejs/vine'
import DataCategory from '#data_map/models/data_category'
import MerchantRetentionOverride from '#data_map/models/merchant_retention_override'
import RetentionRun from '#data_map/models/retention_run'
import retentionPolicy from '#data_map/services/retention_policy'
import { formOptions } from '#data_map/services/form_options'
import { legalHoldFilter } from '#data_map/legal_holds'
import { RETENTION_STARTS } from '#data_map/taxonomy'
import { retentionOverrideValidator, retentionRuleValidator } from '#data_map/validators/retention'

const runsPageValidator = vine.compile(vine.object({ ...pageQuery }))

export default class RetentionController {
  async index({ request, view }: HttpContext) {
    const { page, perPage } = pageOf(await runsPageValidator.validate(request.qs()))
    const categories = await DataCategory.query().preload('retentionRule').orderBy('code')
    const overrides = await MerchantRetentionOverride.query()
      .preload('merchant')
      .preload('category')
      .orderBy('merchant_id')
    const runs = await RetentionRun.query().orderBy('id', 'desc').paginate(page, perPage)
    runs.baseUrl(router.makeUrl('data_map.retention.index'))
    return view.render('pages/data_map/retention/index', {
      categories,
      overrides,
      runs,
      // Oldest first, so the chart reads left to right in time
      chart: runs
        .all()
        .map((run) => ({
          label: `#${run.id}`,
          purged: run.rowsPurged,
          held: run.rowsHeld,
        }))
        .reverse(),
      merchants: await formOptions.merchants(),
      holders: legalHoldFilter.holders(),
    })
  }

  async editRule({ params, view }: HttpContext) {
    const category = await DataCategory.query()
      .where('id', params.id)
      .preload('retentionRule')
      .firstOrFail()
    return view.render('pages/data_map/retention/rule_form', { category, starts: RETENTION_STARTS })
  }

  async updateRule(ctx: HttpContext) {
    const category = await DataCategory.findOrFail(ctx.params.id)
    const payload = await ctx.request.validateUsing(retentionRuleValidator)
    const rule = await retentionPolicy.setRule(category.id, payload)
    ctx.session.flash(
      'success',
      ctx.i18n.t('data_map.flash.retention_saved', {
        code: category.code,
        days: rule.durationDays,
      })
    )
    return ctx.response.redirect().toRoute('data_map.retention.index')
  }

  async storeOverride(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(retentionOverrideValidator)
    await retentionPolicy.setOverride(payload, 'staff')
    ctx.session.flash('success', ctx.i18n.t('data_map.flash.override_saved'))
    return ctx.response.redirect().toRoute('data_map.retention.index')
  }

  /** Queues a purge now (the schedule runs it daily); the job page follows its progress. */
  async runNow({ response }: HttpContext) {
    const job = await dispatch('data_map.purge_expired', { triggeredBy: 'console' })
    return response.redirect().toRoute('data_map.retention.jobs.show', { id: job.id })
  }

  async job({ params, view, response }: HttpContext) {
    const job = await jobStatus('data_map.purge_expired', params.id)
    if (!job) throw new NotFound('purge job')
    if (!job.done) response.header('refresh', '2')
    return view.render('pages/data_map/retention/job', {
      jobId: job.id,
      state: job.state,
      percent: job.percent,
      table: job.detail.table ?? null,
      result: job.result as { runId: number } | null,
    })
  }

  async showRun({ params, view }: HttpContext) {
    return view.render('pages/data_map/retention/run', {
      run: await RetentionRun.findOrFail(params.id),
    })
  }
}
