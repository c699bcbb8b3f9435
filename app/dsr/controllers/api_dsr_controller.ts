import type { HttpContext } from '@adonisjs/core/http'
import { Conflict, Forbidden } from '#core/errors'
import reportService from '#reports/services/report_service'
import { exportPackage } from '#dsr/execution/execute_case'
import { listEnvelope, pageOf } from '#core/pagination'
import { principalOf } from '#access/principal'
import { findScopedOrFail, scopedQuery } from '#access/services/tenant_scope'
import Merchant from '#merchants/models/merchant'
import DsrCase from '#dsr/models/dsr_case'
import intake from '#dsr/services/intake'
import workflow from '#dsr/services/workflow'
import { caseResource } from '#dsr/services/case_resource'
import {
  createDsrValidator,
  dsrIdempotencyValidator,
  dsrListValidator,
  exportFormatValidator,
  extensionValidator,
  instructValidator,
  intakeFromApi,
} from '#dsr/validators/dsr'

async function callerMerchant(ctx: HttpContext) {
  const merchantId = principalOf(ctx).merchantId
  if (!merchantId)
    throw new Forbidden('Data-subject requests are submitted by a merchant, for its own customers.')
  return Merchant.findOrFail(merchantId)
}

function findCase(ctx: HttpContext) {
  return findScopedOrFail(principalOf(ctx), DsrCase, Number(ctx.params.id), { what: 'case' })
}

/** The merchant DSR API (`/api/v1/dsr`): bearer token or a merchant session. */
export default class ApiDsrController {
  /** POST /api/v1/dsr */
  async store(ctx: HttpContext) {
    const merchant = await callerMerchant(ctx)
    const payload = await ctx.request.validateUsing(createDsrValidator)
    const { idempotencyKey } = await dsrIdempotencyValidator.validate({
      idempotencyKey: ctx.request.header('idempotency-key'),
    })
    const principal = principalOf(ctx)
    const result = await intake.submit(intakeFromApi(payload), {
      merchant,
      source: 'api',
      userId: principal.kind === 'user' ? principal.userId : null,
      tokenId: principal.tokenId,
      idempotencyKey,
    })
    if (result.outcome === 'replayed') ctx.response.header('idempotent-replayed', 'true')
    const body = {
      data: {
        ...caseResource(result.dsrCase),
        receipt: result.receipt,
        linked: result.outcome === 'linked',
      },
    }
    // A duplicate of an open request is linked to it: nothing new was created
    return result.outcome === 'linked' ? ctx.response.ok(body) : ctx.response.created(body)
  }

  /** GET /api/v1/dsr */
  async index(ctx: HttpContext) {
    const filter = await dsrListValidator.validate(ctx.request.qs())
    const { page, perPage } = pageOf(filter)
    const query = scopedQuery(principalOf(ctx), DsrCase)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
    if (filter.status) query.where('status', filter.status)
    if (filter.type) query.where('type', filter.type)
    return listEnvelope(await query.paginate(page, perPage), caseResource)
  }

  /** GET /api/v1/dsr/:id */
  async show(ctx: HttpContext) {
    return { data: caseResource(await findCase(ctx)) }
  }

  /** GET /api/v1/dsr/:id/report.pdf: the signed case report, issued when the case closed. */
  async report(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    if (!dsrCase.reportDocumentId) {
      throw new Conflict('report_not_ready', 'The case report is issued when the case closes.')
    }
    const report = await reportService.findByDocumentId(dsrCase.reportDocumentId)
    const bytes = await reportService.download(report)
    return ctx.response
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${dsrCase.reference}.pdf"`)
      .header('cache-control', 'no-store')
      .send(bytes)
  }

  /** GET /api/v1/dsr/:id/export: the access/portability package (JSON, or CSV on request). */
  async export(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { format } = await exportFormatValidator.validate(ctx.request.qs())
    const pkg = await exportPackage(dsrCase, { format })
    return ctx.response
      .header('content-type', pkg.contentType)
      .header('content-disposition', `attachment; filename="${pkg.filename}"`)
      .header('cache-control', 'no-store')
      .send(pkg.body)
  }

  /** POST /api/v1/dsr/:id/extension: the controller extends (Art. 12(3)); the hub records it. */
  async extend(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { months, reason } = await ctx.request.validateUsing(extensionValidator)
    await workflow.extend(dsrCase, months as 1 | 2, reason)
    return { data: caseResource(dsrCase) }
  }

  /** POST /api/v1/dsr/:id/instruction: the merchant's go-ahead on a customer's own request. */
  async instruct(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { type } = await ctx.request.validateUsing(instructValidator)
    await workflow.instruct(dsrCase, { type })
    return { data: caseResource(dsrCase) }
  }
}
