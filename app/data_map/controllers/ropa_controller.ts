import type { HttpContext } from '@adonisjs/core/http'
import Merchant from '#merchants/models/merchant'
import { findScopedOrFail } from '#access/services/tenant_scope'
import { principalOf } from '#access/principal'
import { actorOf } from '#audit/actor'
import reportService from '#reports/services/report_service'
import ropaService from '#data_map/services/ropa_service'
import { ropaQueryValidator } from '#data_map/validators/ropa'
import { requesterLabel } from '#reports/generated_by'

/**
 * Staff and auditors see every controller; a merchant principal only ever its own record, and
 * asking for another merchant's answers 404 like any other invisible resource.
 */
async function merchantInScope(ctx: HttpContext) {
  const { merchant: requested } = await ropaQueryValidator.validate(ctx.request.qs())
  const principal = principalOf(ctx)
  const id = requested ?? principal.merchantId
  // No merchant asked for and none implied: the overall record (staff only reach this)
  if (id === null || id === undefined) return undefined
  return findScopedOrFail(principal, Merchant, id, { column: 'id', what: 'merchant' })
}

export default class RopaController {
  async show(ctx: HttpContext) {
    const merchant = await merchantInScope(ctx)
    const record = await ropaService.build(merchant)
    const staff = principalOf(ctx).merchantId === null
    const merchants = staff ? await Merchant.query().orderBy('legal_name') : []
    return ctx.view.render('pages/data_map/ropa', { record, merchant, merchants, staff })
  }

  async json(ctx: HttpContext) {
    const merchant = await merchantInScope(ctx)
    return ctx.response.json(await ropaService.build(merchant))
  }

  async csv(ctx: HttpContext) {
    const merchant = await merchantInScope(ctx)
    const record = await ropaService.build(merchant)
    const name = merchant ? `ropa-${merchant.slug}.csv` : 'ropa.csv'
    ctx.response.header('content-type', 'text/csv; charset=utf-8')
    ctx.response.header('content-disposition', `attachment; filename="${name}"`)
    return ctx.response.send(ropaService.toCsv(record))
  }

  /*
   * JSON and CSV are plain reads of the register (no personal data) and leave no trace; the
   * signed PDF is generated, stored and audited, so it answers only a POST.
   */

  /** A freshly generated, signed and stored `ropa` report, for callers with only `ropa:read`. */
  async pdf(ctx: HttpContext) {
    const merchant = await merchantInScope(ctx)
    const principal = principalOf(ctx)
    const actor = actorOf(principal)
    const report = await reportService.generate({
      kind: 'ropa',
      merchant: merchant ?? null,
      generatedBy: requesterLabel(principal),
      generatedByUserId: principal.kind === 'user' ? principal.userId : null,
      actor,
    })
    const bytes = await reportService.download(report, actor)
    ctx.response.header('content-type', 'application/pdf')
    ctx.response.header(
      'content-disposition',
      `attachment; filename="ropa-${report.documentId}.pdf"`
    )
    return ctx.response.send(bytes)
  }
}
