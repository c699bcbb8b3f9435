import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import ProcessingActivity from '#data_map/models/processing_activity'
import DataFlow from '#data_map/models/data_flow'
import activities from '#data_map/services/activities_service'
import { formOptions } from '#data_map/services/form_options'
import { activityFilterValidator, activityValidator } from '#data_map/validators/activities'
import { filtersOf, pageOf } from '#core/pagination'
import { countryName } from '#core/countries'

export default class ActivitiesController {
  async index({ request, view }: HttpContext) {
    const filters = await activityFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    const list = await ProcessingActivity.query()
      .if(filters.q, (q) =>
        q.where((w) =>
          w.whereILike('code', `%${filters.q}%`).orWhereILike('name', `%${filters.q}%`)
        )
      )
      .if(filters.purposeId, (q) => q.where('purpose_id', filters.purposeId!))
      .if(filters.merchantId, (q) => q.where('merchant_id', filters.merchantId!))
      .if(filters.status, (q) => q.where('status', filters.status!))
      .preload('purpose')
      .preload('merchant')
      .withCount('categories')
      .withCount('systems')
      .orderBy('code')
      .paginate(page, perPage)
    list.baseUrl(router.makeUrl('data_map.activities.index')).queryString(filtersOf(filters))
    return view.render('pages/data_map/activities/index', {
      activities: list,
      filters,
      purposes: await formOptions.purposes(),
      merchants: await formOptions.merchants(),
    })
  }

  async show({ params, view }: HttpContext) {
    const activity = await ProcessingActivity.query()
      .where('id', params.id)
      .preload('purpose')
      .preload('merchant')
      .preload('categories', (q) => q.orderBy('code'))
      .preload('subjects', (q) => q.orderBy('code'))
      .preload('systems', (q) => q.orderBy('code'))
      .firstOrFail()
    const flows = await DataFlow.query()
      .whereIn(
        'system_id',
        activity.systems.map((s) => s.id)
      )
      .preload('system')
      .preload('subprocessor')
    return view.render('pages/data_map/activities/show', { activity, flows, countryName })
  }

  async create({ view }: HttpContext) {
    return this.form(view, null)
  }

  async edit({ params, view }: HttpContext) {
    const activity = await ProcessingActivity.query()
      .where('id', params.id)
      .preload('categories')
      .preload('subjects')
      .preload('systems')
      .firstOrFail()
    return this.form(view, activity)
  }

  async store(ctx: HttpContext) {
    return this.save(ctx)
  }

  async update(ctx: HttpContext) {
    await ProcessingActivity.findOrFail(ctx.params.id)
    return this.save(ctx, Number(ctx.params.id))
  }

  private async form(view: HttpContext['view'], activity: ProcessingActivity | null) {
    return view.render('pages/data_map/activities/form', {
      activity,
      selected: {
        categoryIds: activity?.categories.map((c) => c.id) ?? [],
        subjectIds: activity?.subjects.map((s) => s.id) ?? [],
        systemIds: activity?.systems.map((s) => s.id) ?? [],
      },
      purposes: await formOptions.purposes(),
      merchants: await formOptions.merchants(),
      categories: await formOptions.categories(),
      subjects: await formOptions.subjects(),
      systems: await formOptions.systems(),
    })
  }

  private async save(ctx: HttpContext, id?: number) {
    const payload = await ctx.request.validateUsing(activityValidator)
    const activity = await activities.save(payload, id)
    ctx.session.flash(
      'success',
      ctx.i18n.t('data_map.flash.activity_saved', { code: activity.code })
    )
    return ctx.response.redirect().toRoute('data_map.activities.show', { id: activity.id })
  }
}
