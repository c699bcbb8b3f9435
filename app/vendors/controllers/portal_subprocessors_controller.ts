import type { HttpContext } from '@adonisjs/core/http'
import { principalOf } from '#access/principal'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import { Forbidden } from '#core/errors'
import { listEnvelope, pageOf } from '#core/pagination'
import Merchant from '#merchants/models/merchant'
import objections from '#vendors/services/objections'
import portalInbox from '#vendors/services/portal_inbox'
import type ChangeNotice from '#vendors/models/change_notice'
import changeNotices from '#vendors/services/change_notices'
import subprocessorRegistry from '#vendors/services/subprocessor_registry'
import { portalNoticeFilterValidator, publicListValidator } from '#vendors/validators/subprocessor'
import { can } from '#access/services/authorization'

function merchantIdOf(ctx: HttpContext) {
  const merchantId = principalOf(ctx).merchantId
  if (!merchantId) throw new Forbidden('This page belongs to the merchant portal.')
  return merchantId
}

function serializeNotice(notice: ChangeNotice, now: DateTime) {
  return {
    id: notice.id,
    subprocessorId: notice.subprocessorId,
    subprocessor: notice.subprocessor?.name ?? null,
    kind: notice.kind,
    summary: notice.summary,
    changes: notice.changes,
    publishedAt: notice.publishedAt.toUTC().toISO(),
    objectionDeadline: notice.objectionDeadline?.toUTC().toISO() ?? null,
    objectionWindowOpen: notice.isObjectionWindowOpen(now),
  }
}

/** The merchant portal's view of subprocessor notices, and where it objects. */
export default class PortalSubprocessorsController {
  async index(ctx: HttpContext) {
    const merchantId = merchantIdOf(ctx)
    const filter = await portalNoticeFilterValidator.validate(ctx.request.qs())
    const page = filter.page ?? 1
    const unread = await portalInbox.takeUnread(principalOf(ctx))
    const [merchant, notices, current, own] = await Promise.all([
      Merchant.findOrFail(merchantId),
      changeNotices.deliveredTo(principalOf(ctx), filter).paginate(page, 20),
      subprocessorRegistry.publicQuery(),
      objections.visibleTo(principalOf(ctx)),
    ])
    notices.baseUrl(router.makeUrl('portal.subprocessors.index'))
    notices.queryString({ window: filter.window })
    const objectionByNotice = new Map(own.map((o) => [o.noticeId, o]))
    return ctx.view.render('pages/vendors/portal/index', {
      merchant,
      filter,
      unread,
      notices,
      current,
      objectionByNotice,
      now: DateTime.utc(),
      mayObject: await can(principalOf(ctx), 'objections:create'),
    })
  }

  /** GET /api/v1/subprocessor-notices: notices delivered to the caller's merchant. */
  async apiIndex(ctx: HttpContext) {
    merchantIdOf(ctx)
    const { page, perPage } = pageOf(await publicListValidator.validate(ctx.request.qs()))
    const notices = await changeNotices.deliveredTo(principalOf(ctx)).paginate(page, perPage)
    const now = DateTime.utc()
    return listEnvelope(notices, (n) => serializeNotice(n, now))
  }
}
