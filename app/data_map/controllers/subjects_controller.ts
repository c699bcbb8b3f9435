import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import DataSubjectCategory from '#data_map/models/data_subject_category'
import taxonomy from '#data_map/services/taxonomy_service'
import { simpleFilterValidator, subjectValidator } from '#data_map/validators/taxonomy'
import { filtersOf, pageOf } from '#core/pagination'

export default class SubjectsController {
  async index({ request, view }: HttpContext) {
    const filters = await simpleFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    const subjects = await DataSubjectCategory.query()
      .if(filters.q, (q) =>
        q.where((w) =>
          w.whereILike('code', `%${filters.q}%`).orWhereILike('name', `%${filters.q}%`)
        )
      )
      .orderBy('code')
      .paginate(page, perPage)
    subjects.baseUrl(router.makeUrl('data_map.subjects.index')).queryString(filtersOf(filters))
    return view.render('pages/data_map/subjects/index', { subjects, filters })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/data_map/subjects/form', { subject: null })
  }

  async edit({ params, view }: HttpContext) {
    return view.render('pages/data_map/subjects/form', {
      subject: await DataSubjectCategory.findOrFail(params.id),
    })
  }

  async store(ctx: HttpContext) {
    return this.save(ctx)
  }

  async update(ctx: HttpContext) {
    await DataSubjectCategory.findOrFail(ctx.params.id)
    return this.save(ctx, Number(ctx.params.id))
  }

  private async save(ctx: HttpContext, id?: number) {
    const payload = await ctx.request.validateUsing(subjectValidator)
    const subject = await taxonomy.saveSubject(payload, id)
    ctx.session.flash('success', ctx.i18n.t('data_map.flash.subject_saved', { code: subject.code }))
    return ctx.response.redirect().toRoute('data_map.subjects.index')
  }
}
