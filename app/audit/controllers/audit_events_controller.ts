import type { HttpContext } from '@adonisjs/core/http'
import { can } from '#access/services/authorization'
import auditTrail from '#audit/services/audit_trail'
import { knownAuditActions, searchAuditEvents } from '#audit/services/audit_search'
import { auditEventFilterValidator } from '#audit/validators/audit_event'
import Merchant from '#merchants/models/merchant'
import { Forbidden } from '#core/errors'
import { everyoneByName } from '#access/services/people'

/** Why the trail's pages open account holders' names (recorded with each such read). */
export const AUDIT_REVIEW_PURPOSE = 'audit_review'

/** The auditors' console: browse and filter the trail, and verify the chain. */
export default class AuditEventsController {
  async index({ request, view, principal, session, i18n }: HttpContext) {
    if (!principal) throw new Forbidden()
    const filters = await request.validateUsing(auditEventFilterValidator, { data: request.qs() })
    const events = await searchAuditEvents(filters)
    events.baseUrl(request.url())
    events.queryString({ ...request.qs(), page: undefined })
    const merchants = await Merchant.query().select('id', 'slug').orderBy('slug')
    // One read opens the names for the picker and for the events' actors and targets alike
    const names = await everyoneByName(principal, AUDIT_REVIEW_PURPOSE)
    return view.render('pages/audit/index', {
      events,
      filters: request.qs(),
      actions: await knownAuditActions(),
      merchants,
      merchantSlugs: Object.fromEntries(merchants.map((m) => [m.id, m.slug])),
      names: Object.fromEntries(names),
      people: [...names]
        .map(([id, name]) => ({ id, name }))
        .sort((a, b) => a.name.localeCompare(b.name, i18n.locale)),
      canVerify: await can(principal, 'audit:verify'),
      verdict: session.flashMessages.get('chainVerdict') ?? null,
    })
  }

  /** Recomputes the chain; the verdict is shown above the list. */
  async verify({ response, session }: HttpContext) {
    const verdict = await auditTrail.verifyAndRecord()
    session.flash('chainVerdict', verdict)
    return response.redirect().toRoute('audit.index')
  }
}
