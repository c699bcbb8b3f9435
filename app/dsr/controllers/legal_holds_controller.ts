import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import { pageOf } from '#core/pagination'
import { principalOf } from '#access/principal'
import Merchant from '#merchants/models/merchant'
import User from '#access/models/user'
import { can } from '#access/services/authorization'
import LegalHold, { HOLD_SOURCES } from '#dsr/models/legal_hold'
import legalHolds from '#dsr/services/legal_holds'
import { dsrSections } from '#dsr/console_sections'
import {
  holdFilterValidator,
  holdValidator,
  liftRequestValidator,
} from '#dsr/validators/legal_holds'

/** Legal holds in the console: list, place, ask to lift, lift (a second person). */
export default class LegalHoldsController {
  async index(ctx: HttpContext) {
    const filter = await holdFilterValidator.validate(ctx.request.qs())
    const { page, perPage } = pageOf(filter)
    const query = LegalHold.query().orderBy('id', 'desc')
    const state = filter.state ?? 'active'
    if (state === 'active') query.whereNull('lifted_at')
    if (state === 'lifted') query.whereNotNull('lifted_at')
    if (filter.merchantId) query.where('merchant_id', filter.merchantId)
    const holds = await query.paginate(page, perPage)
    holds.baseUrl(router.makeUrl('dsr.holds.index'))
    holds.queryString({ state, ...(filter.merchantId ? { merchantId: filter.merchantId } : {}) })
    const merchants = await Merchant.query().orderBy('legal_name')
    const userIds = holds
      .all()
      .flatMap((h) => [h.placedByUserId, h.liftRequestedByUserId, h.liftedByUserId])
      .filter((id): id is number => typeof id === 'number')
    const users = userIds.length ? await User.query().whereIn('id', userIds) : []
    return ctx.view.render('pages/dsr/legal_holds/index', {
      holds,
      filter: { ...filter, state },
      merchants,
      merchantNames: Object.fromEntries(merchants.map((m) => [m.id, m.legalName])),
      names: Object.fromEntries(users.map((u) => [u.id, u.fullName])),
      sources: HOLD_SOURCES,
      me: principalOf(ctx).userId,
      mayManage: await can(principalOf(ctx), 'legal_holds:manage'),
      sections: await dsrSections(principalOf(ctx)),
    })
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(holdValidator)
    const hold = await legalHolds.place(
      {
        scope: input.scope,
        merchantId: input.merchantId,
        customerId: input.customerId ?? null,
        reason: input.reason,
        source: input.source,
        sourceRef: input.sourceRef ?? null,
        expiresAt: input.expiresOn ? DateTime.fromJSDate(input.expiresOn).endOf('day') : null,
      },
      principalOf(ctx).userId
    )
    ctx.session.flash('success', ctx.i18n.t('dsr.holds.flash.placed', { id: hold.id }))
    return ctx.response.redirect().toRoute('dsr.holds.index')
  }

  async requestLift(ctx: HttpContext) {
    const hold = await legalHolds.find(Number(ctx.params.id))
    const { reason } = await ctx.request.validateUsing(liftRequestValidator)
    await legalHolds.requestLift(hold, reason, principalOf(ctx).userId)
    ctx.session.flash('success', ctx.i18n.t('dsr.holds.flash.lift_requested', { id: hold.id }))
    return ctx.response.redirect().toRoute('dsr.holds.index')
  }

  async lift(ctx: HttpContext) {
    const hold = await legalHolds.find(Number(ctx.params.id))
    await legalHolds.lift(hold, principalOf(ctx).userId)
    ctx.session.flash('success', ctx.i18n.t('dsr.holds.flash.lifted', { id: hold.id }))
    return ctx.response.redirect().toRoute('dsr.holds.index')
  }
}
