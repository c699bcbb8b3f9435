import type { HttpContext } from '@adonisjs/core/http'
import { can } from '#access/services/authorization'
import auditTrail from '#audit/services/audit_trail'
import { knownAuditActions, searchAuditEvents } from '#audit/services/audit_search'
import { auditEventFilterValidator } from '#audit/validators/audit_event'
import Merchant from '#merchants/models/merchant'
import { Forbidden } from '#core/errors'
import { namesOf } from '#access/services/people'

/** Why the trail's pages open account holders' names (recorded with each such read). */
export const AUDIT_REVIEW_PURPOSE = 'audit_review'

/** The auditors' console: browse and filter the trail, and verify the chain. */
export default class AuditEventsController {
  async index({ request, view, principal, session }: HttpContext) {
    if (!principal) throw new Forbidden()
    const filters = await request.validateUsing(auditEventFilterValidator, { data: request.qs() })
    const events = await searchAuditEvents(filters)
    events.baseUrl(request.url())
    events.queryString({ ...request.qs(), page: undefined })
    const merchants = await Merchant.query().select('id', 'slug').orderBy('slug')
    const userIds = events
      .all()
      .flatMap((event) => [
        event.actorType === 'user' ? Number(event.actorId) : null,
        event.targetType === 'user' ? Number(event.targetId) : null,
      ])
    const names = await namesOf(principal, userIds, AUDIT_REVIEW_PURPOSE)
    return view.render('pages/audit/index', {
      events,
      filters: request.qs(),
      actions: await knownAuditActions(),
      merchants,
      merchantSlugs: Object.fromEntries(merchants.map((m) => [m.id, m.slug])),
      names: Object.fromEntries(names),
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
