import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import Purpose from '#data_map/models/purpose'
import taxonomy from '#data_map/services/taxonomy_service'
import { purposeValidator, simpleFilterValidator } from '#data_map/validators/taxonomy'
import { filtersOf, pageOf } from '#core/pagination'

export default class PurposesController {
  async index({ request, view }: HttpContext) {
    const filters = await simpleFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    const purposes = await Purpose.query()
      .if(filters.q, (q) =>
        q.where((w) =>
          w.whereILike('code', `%${filters.q}%`).orWhereILike('name', `%${filters.q}%`)
        )
      )
      .if(filters.status, (q) => q.where('status', filters.status!))
      .withCount('activities')
      .orderBy('status')
      .orderBy('code')
      .paginate(page, perPage)
    purposes.baseUrl(router.makeUrl('data_map.purposes.index')).queryString(filtersOf(filters))
    return view.render('pages/data_map/purposes/index', { purposes, filters })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/data_map/purposes/form', { purpose: null })
  }

  async edit({ params, view }: HttpContext) {
    return view.render('pages/data_map/purposes/form', {
      purpose: await Purpose.findOrFail(params.id),
    })
  }

  async store(ctx: HttpContext) {
    return this.save(ctx)
  }

  async update(ctx: HttpContext) {
    await Purpose.findOrFail(ctx.params.id)
    return this.save(ctx, Number(ctx.params.id))
  }

  private async save(ctx: HttpContext, id?: number) {
    const payload = await ctx.request.validateUsing(purposeValidator)
    const purpose = await taxonomy.savePurpose(payload, id)
    ctx.session.flash('success', ctx.i18n.t('data_map.flash.purpose_saved', { code: purpose.code }))
    return ctx.response.redirect().toRoute('data_map.purposes.index')
  }
}
