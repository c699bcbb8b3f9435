import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { principalOf } from '#access/principal'
import { scopedQuery } from '#access/services/tenant_scope'
import { countryName } from '#core/countries'
import { pageQuery } from '#core/pagination'
import vine from '@vinejs/vine'
import GovernmentRequest from '#government_requests/models/government_request'
import Decision from '#government_requests/models/decision'
import RequestNotice from '#government_requests/models/request_notice'

const pageValidator = vine.compile(vine.object({ ...pageQuery }))

/**
 * The merchant's view: the authority requests it has been told of (SCC Cl. 15.1(a)) and our
 * response. A notice deferred under a gag order does not appear until it is sent.
 */
export default class PortalGovernmentRequestsController {
  async index(ctx: HttpContext) {
    const { page } = await pageValidator.validate(ctx.request.qs())
    const notices = await scopedQuery(principalOf(ctx), RequestNotice)
      .where('status', 'sent')
      .orderBy('sent_at', 'desc')
      .paginate(page ?? 1, 25)
    notices.baseUrl(router.makeUrl('portal.government_requests.index'))
    const ids = notices.all().map((n) => n.requestId)
    const requests = ids.length ? await GovernmentRequest.query().whereIn('id', ids) : []
    const decisions = ids.length
      ? await Decision.query().whereIn('request_id', ids).where('status', 'approved')
      : []
    return ctx.view.render('pages/government_requests/portal', {
      notices,
      requests: Object.fromEntries(requests.map((r) => [r.id, r])),
      outcomes: Object.fromEntries(decisions.map((d) => [d.requestId, d.outcome])),
      countryName,
    })
  }
}
