import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { Forbidden } from '#core/errors'
import { filtersOf, pageOf } from '#core/pagination'
import { principalOf } from '#access/principal'
import { findScopedOrFail, scopedQuery } from '#access/services/tenant_scope'
import Merchant from '#merchants/models/merchant'
import MerchantNotification from '#vendors/models/merchant_notification'
import DsrCase, { DSR_TYPES } from '#dsr/models/dsr_case'
import intake from '#dsr/services/intake'
import workflow from '#dsr/services/workflow'
import callbacks from '#dsr/services/callbacks'
import { timelineOf } from '#dsr/services/timeline'
import { listCases } from '#dsr/services/case_queries'
import {
  callbackEndpointValidator,
  caseFilterValidator,
  intakeFormValidator,
  instructFormValidator,
  intakeFromForm,
} from '#dsr/validators/dsr'

async function callerMerchant(ctx: HttpContext) {
  const merchantId = principalOf(ctx).merchantId
  if (!merchantId) throw new Forbidden()
  return Merchant.findOrFail(merchantId)
}

function findCase(ctx: HttpContext) {
  return findScopedOrFail(principalOf(ctx), DsrCase, Number(ctx.params.id), { what: 'case' })
}

/** The merchant portal: its requests, the submission form, a case, and its callback endpoint. */
export default class PortalDsrController {
  async index(ctx: HttpContext) {
    const filter = await caseFilterValidator.validate(ctx.request.qs())
    const { page, perPage } = pageOf(filter)
    const principal = principalOf(ctx)
    const status = filter.status ?? 'any'
    const cases = await listCases(principal, { ...filter, status, merchantId: undefined }).paginate(
      page,
      perPage
    )
    cases.baseUrl(router.makeUrl('portal.dsr.index'))
    cases.queryString(filtersOf({ ...filter, status }))
    const notices = await scopedQuery(principal, MerchantNotification)
      .whereLike('kind', 'dsr.%')
      .whereNull('read_at')
      .orderBy('id', 'desc')
      .limit(20)
    return ctx.view.render('pages/dsr/portal/index', {
      cases,
      filter: { ...filter, status },
      notices,
      types: DSR_TYPES,
    })
  }

  async create(ctx: HttpContext) {
    return ctx.view.render('pages/dsr/portal/new', { types: DSR_TYPES })
  }

  async store(ctx: HttpContext) {
    const merchant = await callerMerchant(ctx)
    const payload = await ctx.request.validateUsing(intakeFormValidator)
    const { dsrCase, outcome } = await intake.submit(intakeFromForm(payload), {
      merchant,
      source: 'portal',
      userId: principalOf(ctx).userId,
    })
    ctx.session.flash(
      'success',
      ctx.i18n.t(outcome === 'linked' ? 'dsr.flash.linked' : 'dsr.flash.created', {
        reference: dsrCase.reference,
      })
    )
    return ctx.response.redirect().toRoute('portal.dsr.show', { id: dsrCase.id })
  }

  async show(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    return ctx.view.render('pages/dsr/portal/show', {
      dsrCase,
      timeline: await timelineOf(dsrCase),
      types: DSR_TYPES,
    })
  }

  /** The merchant instructs the hub to act on a customer's own request. */
  async instruct(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { type } = await ctx.request.validateUsing(instructFormValidator)
    await workflow.instruct(dsrCase, { type })
    ctx.session.flash(
      'success',
      ctx.i18n.t('dsr.flash.instructed', { reference: dsrCase.reference })
    )
    return ctx.response.redirect().toRoute('portal.dsr.show', { id: dsrCase.id })
  }

  /** The merchant declines a customer's own request (it is the controller's decision). */
  async decline(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    await workflow.decline(dsrCase, principalOf(ctx).userId)
    ctx.session.flash('success', ctx.i18n.t('dsr.flash.declined', { reference: dsrCase.reference }))
    return ctx.response.redirect().toRoute('portal.dsr.show', { id: dsrCase.id })
  }

  async callbacks(ctx: HttpContext) {
    const merchant = await callerMerchant(ctx)
    const filter = await caseFilterValidator.validate(ctx.request.qs())
    const { page, perPage } = pageOf(filter)
    const deliveries = await callbacks.deliveriesOf(merchant.id).paginate(page, perPage)
    deliveries.baseUrl(router.makeUrl('portal.dsr.callbacks'))
    const references = await DsrCase.query()
      .whereIn(
        'id',
        deliveries.all().map((d) => d.dsrCaseId)
      )
      .select('id', 'reference')
    return ctx.view.render('pages/dsr/portal/callbacks', {
      endpoint: await callbacks.endpointOf(merchant.id),
      deliveries,
      references: Object.fromEntries(references.map((c) => [c.id, c.reference])),
    })
  }

  async saveCallback(ctx: HttpContext) {
    const merchant = await callerMerchant(ctx)
    const { url } = await ctx.request.validateUsing(callbackEndpointValidator)
    await callbacks.setEndpoint(merchant.id, url, principalOf(ctx).userId)
    ctx.session.flash('success', ctx.i18n.t('dsr.flash.callback_saved'))
    return ctx.response.redirect().toRoute('portal.dsr.callbacks')
  }

  async removeCallback(ctx: HttpContext) {
    const merchant = await callerMerchant(ctx)
    await callbacks.removeEndpoint(merchant.id, principalOf(ctx).userId)
    ctx.session.flash('success', ctx.i18n.t('dsr.flash.callback_removed'))
    return ctx.response.redirect().toRoute('portal.dsr.callbacks')
  }
}
