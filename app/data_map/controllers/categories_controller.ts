import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import DataCategory from '#data_map/models/data_category'
import ProcessingActivity from '#data_map/models/processing_activity'
import taxonomy from '#data_map/services/taxonomy_service'
import { categoryFilterValidator, categoryValidator } from '#data_map/validators/taxonomy'
import { filtersOf, pageOf } from '#core/pagination'
import { SENSITIVITIES } from '#data_map/taxonomy'

export default class CategoriesController {
  async index({ request, view }: HttpContext) {
    const filters = await categoryFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    const categories = await DataCategory.query()
      .if(filters.q, (q) =>
        q.where((w) =>
          w.whereILike('code', `%${filters.q}%`).orWhereILike('name', `%${filters.q}%`)
        )
      )
      .if(filters.sensitivity, (q) => q.where('sensitivity', filters.sensitivity!))
      .if(filters.special, (q) => q.where('special_category', filters.special === 'yes'))
      .preload('retentionRule')
      .orderBy('code')
      .paginate(page, perPage)
    categories.baseUrl(router.makeUrl('data_map.categories.index')).queryString(filtersOf(filters))
    return view.render('pages/data_map/categories/index', {
      categories,
      filters,
      sensitivities: SENSITIVITIES,
    })
  }

  async show({ params, view }: HttpContext) {
    const category = await DataCategory.query()
      .where('id', params.id)
      .preload('retentionRule')
      .firstOrFail()
    const activities = await ProcessingActivity.query()
      .whereHas('categories', (q) => q.where('data_categories.id', category.id))
      .preload('purpose')
      .orderBy('code')
    return view.render('pages/data_map/categories/show', { category, activities })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/data_map/categories/form', {
      category: null,
      sensitivities: SENSITIVITIES,
    })
  }

  async edit({ params, view }: HttpContext) {
    const category = await DataCategory.findOrFail(params.id)
    return view.render('pages/data_map/categories/form', { category, sensitivities: SENSITIVITIES })
  }

  async store(ctx: HttpContext) {
    return this.save(ctx)
  }

  async update(ctx: HttpContext) {
    await DataCategory.findOrFail(ctx.params.id)
    return this.save(ctx, Number(ctx.params.id))
  }

  private async save(ctx: HttpContext, id?: number) {
    const payload = await ctx.request.validateUsing(categoryValidator)
    const category = await taxonomy.saveCategory(payload, id)
    ctx.session.flash(
      'success',
      ctx.i18n.t('data_map.flash.category_saved', { code: category.code })
    )
    return ctx.response.redirect().toRoute('data_map.categories.show', { id: category.id })
  }
}
