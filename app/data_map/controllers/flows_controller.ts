import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import DataFlow from '#data_map/models/data_flow'
import flows from '#data_map/services/flows_service'
import { formOptions } from '#data_map/services/form_options'
import { flowFilterValidator, flowValidator } from '#data_map/validators/flows'
import { filtersOf, pageOf } from '#core/pagination'
import { countryName } from '#core/countries'
import { FLOW_MECHANISMS } from '#data_map/taxonomy'

export default class FlowsController {
  async index({ request, view }: HttpContext) {
    const filters = await flowFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    const list = await DataFlow.query()
      .if(filters.q, (q) => q.whereILike('name', `%${filters.q}%`))
      .if(filters.country, (q) => q.where('destination_country', filters.country!))
      .if(filters.mechanism, (q) => q.where('transfer_mechanism', filters.mechanism!))
      .if(filters.systemId, (q) => q.where('system_id', filters.systemId!))
      .preload('system')
      .preload('subprocessor')
      .preload('categories', (q) => q.orderBy('code'))
      .orderBy('id')
      .paginate(page, perPage)
    list.baseUrl(router.makeUrl('data_map.flows.index')).queryString(filtersOf(filters))
    return view.render('pages/data_map/flows/index', {
      flows: list,
      filters,
      mechanisms: FLOW_MECHANISMS,
      systems: await formOptions.systems(),
      countries: await formOptions.countriesIn('data_flows', 'destination_country'),
      countryName,
    })
  }

  async create({ view }: HttpContext) {
    return this.form(view, null)
  }

  async edit({ params, view }: HttpContext) {
    const flow = await DataFlow.query().where('id', params.id).preload('categories').firstOrFail()
    return this.form(view, flow)
  }

  async store(ctx: HttpContext) {
    return this.save(ctx)
  }

  async update(ctx: HttpContext) {
    await DataFlow.findOrFail(ctx.params.id)
    return this.save(ctx, Number(ctx.params.id))
  }

  async destroy({ params, session, response, i18n }: HttpContext) {
    const flow = await flows.remove(Number(params.id))
    session.flash('success', i18n.t('data_map.flash.flow_removed', { name: flow.name }))
    return response.redirect().toRoute('data_map.flows.index')
  }

  private async form(view: HttpContext['view'], flow: DataFlow | null) {
    return view.render('pages/data_map/flows/form', {
      flow,
      selectedCategoryIds: flow?.categories.map((c) => c.id) ?? [],
      mechanisms: FLOW_MECHANISMS,
      countries: formOptions.countries(),
      systems: await formOptions.systems(),
      subprocessors: await formOptions.subprocessors(),
      categories: await formOptions.categories(),
    })
  }

  private async save(ctx: HttpContext, id?: number) {
    const payload = await ctx.request.validateUsing(flowValidator)
    const flow = await flows.save(payload, id)
    ctx.session.flash('success', ctx.i18n.t('data_map.flash.flow_saved', { name: flow.name }))
    return ctx.response.redirect().toRoute('data_map.flows.index')
  }
}
