import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { listEnvelope, pageOf } from '#core/pagination'
import { countryName } from '#core/countries'
import { TRANSFER_MECHANISM_LABELS } from '#vendors/models/subprocessor'
import subprocessorRegistry from '#vendors/services/subprocessor_registry'
import changeNotices from '#vendors/services/change_notices'
import { publicListValidator } from '#vendors/validators/subprocessor'
import { atomFeed } from '#vendors/services/atom_feed'
import env from '#start/env'

/** The public transparency surface: HTML list, JSON API and Atom feed of changes. */
export default class PublicSubprocessorsController {
  async index({ request, view }: HttpContext) {
    const { page, perPage } = pageOf(await publicListValidator.validate(request.qs()))
    const subprocessors = await subprocessorRegistry.publicQuery().paginate(page, perPage)
    subprocessors.baseUrl(router.makeUrl('vendors.public.index'))
    const notices = await changeNotices.history({ limit: 10 })
    return view.render('pages/vendors/public/index', {
      subprocessors,
      notices,
      countryName,
      mechanismLabels: TRANSFER_MECHANISM_LABELS,
    })
  }

  async apiIndex({ request }: HttpContext) {
    const { page, perPage } = pageOf(await publicListValidator.validate(request.qs()))
    const subprocessors = await subprocessorRegistry.publicQuery().paginate(page, perPage)
    return listEnvelope(subprocessors, (s) => s.serializePublic())
  }

  async apiShow({ params }: HttpContext) {
    const subprocessor = await subprocessorRegistry.findPublic(Number(params.id))
    return { data: subprocessor.serializePublic() }
  }

  async feed({ response }: HttpContext) {
    const notices = await changeNotices.history({ limit: 50 })
    // From configuration, never the Host header: a cached feed must not point readers elsewhere
    const origin = env.get('APP_URL').replace(/\/+$/, '')
    response.header('content-type', 'application/atom+xml; charset=utf-8')
    return atomFeed(notices, {
      selfUrl: `${origin}${router.makeUrl('vendors.public.feed')}`,
      pageUrl: `${origin}${router.makeUrl('vendors.public.index')}`,
    })
  }
}
