import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { Forbidden } from '#core/errors'
import { listEnvelope, pageOf } from '#core/pagination'
import { findScopedOrFail } from '#access/services/tenant_scope'
import Objection, { OBJECTION_OUTCOMES } from '#vendors/models/objection'
import objections from '#vendors/services/objections'
import {
  idempotencyValidator,
  objectionFilterValidator,
  objectionValidator,
  resolveObjectionValidator,
} from '#vendors/validators/objection'
import { principalOf } from '#access/principal'

function merchantIdOf(ctx: HttpContext) {
  const merchantId = principalOf(ctx).merchantId
  if (!merchantId) throw new Forbidden('Objections are raised by a merchant, for its own data.')
  return merchantId
}

/** Merchant objections: raised by merchants (API and portal), resolved by staff (console). */
export default class ObjectionsController {
  /** POST /api/v1/subprocessors/:id/objections */
  async apiStore(ctx: HttpContext) {
    const merchantId = merchantIdOf(ctx)
    const { reason } = await ctx.request.validateUsing(objectionValidator)
    const { idempotencyKey } = await idempotencyValidator.validate({
      idempotencyKey: ctx.request.header('idempotency-key'),
    })
    const { objection, replayed } = await objections.raise({
      subprocessorId: Number(ctx.params.id),
      merchantId,
      reason,
      via: 'api',
      userId: principalOf(ctx).kind === 'user' ? principalOf(ctx).userId : null,
      tokenId: principalOf(ctx).tokenId,
      idempotencyKey,
    })
    if (replayed) ctx.response.header('idempotent-replayed', 'true')
    return ctx.response.created({ data: objection.serializeForApi() })
  }

  /** GET /api/v1/objections: the caller's own merchant's objections only. */
  async apiIndex(ctx: HttpContext) {
    merchantIdOf(ctx)
    const filter = await objectionFilterValidator.validate(ctx.request.qs())
    const { page, perPage } = pageOf(filter)
    const list = await objections
      .visibleTo(principalOf(ctx), { status: filter.status === 'any' ? undefined : filter.status })
      .paginate(page, perPage)
    return listEnvelope(list, (o) => o.serializeForApi())
  }

  async apiShow(ctx: HttpContext) {
    const objection = await findScopedOrFail(principalOf(ctx), Objection, Number(ctx.params.id), {
      what: 'objection',
    })
    return { data: objection.serializeForApi() }
  }

  /** Portal form post. */
  async portalStore(ctx: HttpContext) {
    const merchantId = merchantIdOf(ctx)
    const { reason } = await ctx.request.validateUsing(objectionValidator)
    await objections.raise({
      subprocessorId: Number(ctx.params.id),
      merchantId,
      reason,
      via: 'portal',
      userId: principalOf(ctx).userId,
    })
    ctx.session.flash('success', ctx.i18n.t('vendors.flash.objection_recorded'))
    return ctx.response.redirect().toRoute('portal.subprocessors.index')
  }

  /** Console: open (or filtered) objections across merchants. */
  async index({ request, view }: HttpContext) {
    const filter = await objectionFilterValidator.validate(request.qs())
    // Open ones unless asked otherwise; "any" is the explicit choice of every status
    const status = filter.status ?? 'open'
    const list = await objections.list({
      ...filter,
      status: status === 'any' ? undefined : status,
    })
    list.baseUrl(router.makeUrl('vendors.objections.index'))
    list.queryString({ status })
    return view.render('pages/vendors/objections/index', {
      objections: list,
      chart: await objections.countsBySubprocessor(),
      status,
      outcomes: OBJECTION_OUTCOMES,
    })
  }

  async resolve(ctx: HttpContext) {
    const objection = await objections.find(Number(ctx.params.id))
    const { outcome, note } = await ctx.request.validateUsing(resolveObjectionValidator)
    await objections.resolve(objection, outcome, note, principalOf(ctx).userId)
    ctx.session.flash(
      'success',
      ctx.i18n.t('vendors.flash.objection_resolved', {
        id: objection.id,
        outcome: ctx.i18n.t(`common.label.${outcome}`, {}, outcome),
      })
    )
    return ctx.response.redirect().toRoute('vendors.objections.index')
  }
}
