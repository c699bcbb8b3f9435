import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import System from '#data_map/models/system'
import ProcessingActivity from '#data_map/models/processing_activity'
import systems from '#data_map/services/systems_service'
import { formOptions } from '#data_map/services/form_options'
import { systemFilterValidator, systemValidator } from '#data_map/validators/systems'
import { filtersOf, pageOf } from '#core/pagination'
import { countryName } from '#core/countries'
import { SYSTEM_KINDS } from '#data_map/taxonomy'

export default class SystemsController {
  async index({ request, view }: HttpContext) {
    const filters = await systemFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    const list = await System.query()
      .if(filters.q, (q) =>
        q.where((w) =>
          w.whereILike('code', `%${filters.q}%`).orWhereILike('name', `%${filters.q}%`)
        )
      )
      .if(filters.kind, (q) => q.where('kind', filters.kind!))
      .if(filters.country, (q) => q.where('location_country', filters.country!))
      .preload('subprocessor')
      .orderBy('code')
      .paginate(page, perPage)
    list.baseUrl(router.makeUrl('data_map.systems.index')).queryString(filtersOf(filters))
    return view.render('pages/data_map/systems/index', {
      systems: list,
      filters,
      kinds: SYSTEM_KINDS,
      countries: await formOptions.countriesIn('systems', 'location_country'),
      countryName,
    })
  }

  async show({ params, view }: HttpContext) {
    const system = await System.query()
      .where('id', params.id)
      .preload('subprocessor')
      .preload('flows', (q) => q.preload('subprocessor').orderBy('id'))
      .firstOrFail()
    const activities = await ProcessingActivity.query()
      .whereHas('systems', (q) => q.where('systems.id', system.id))
      .preload('purpose')
      .orderBy('code')
    return view.render('pages/data_map/systems/show', { system, activities, countryName })
  }

  async create({ view }: HttpContext) {
    return this.form(view, null)
  }

  async edit({ params, view }: HttpContext) {
    return this.form(view, await System.findOrFail(params.id))
  }

  async store(ctx: HttpContext) {
    return this.save(ctx)
  }

  async update(ctx: HttpContext) {
    await System.findOrFail(ctx.params.id)
    return this.save(ctx, Number(ctx.params.id))
  }

  private async form(view: HttpContext['view'], system: System | null) {
    return view.render('pages/data_map/systems/form', {
      system,
      kinds: SYSTEM_KINDS,
      countries: formOptions.countries(),
      subprocessors: await formOptions.subprocessors(),
    })
  }

  private async save(ctx: HttpContext, id?: number) {
    const payload = await ctx.request.validateUsing(systemValidator)
    const system = await systems.save(payload, id)
    ctx.session.flash('success', ctx.i18n.t('data_map.flash.system_saved', { code: system.code }))
    return ctx.response.redirect().toRoute('data_map.systems.show', { id: system.id })
  }
}
