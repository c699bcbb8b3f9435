import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { Forbidden, NotFound } from '#core/errors'
import { filtersOf, pageOf } from '#core/pagination'
import { principalOf } from '#access/principal'
import { namesOf } from '#access/services/people'
import { actorOf } from '#audit/actor'
import Merchant from '#merchants/models/merchant'
import DataCategory from '#data_map/models/data_category'
import DsrExport from '#dsr/models/dsr_export'
import {
  TERMINATION_STATUSES,
  type default as MerchantTermination,
} from '#dsr/models/merchant_termination'
import { contentTypeOf, downloadExport, fileNameOf } from '#dsr/execution/exports'
import { dsrSections } from '#dsr/console_sections'
import terminations, { graceDays } from '#dsr/termination/termination_service'
import {
  terminationFilterValidator,
  terminationRequestValidator,
} from '#dsr/validators/termination'

/** Staff names on termination pages are opened for this purpose (`personal_data.read`). */
const TERMINATION_REVIEW_PURPOSE = 'termination_review'

function serialize(termination: MerchantTermination) {
  return {
    id: termination.id,
    choice: termination.choice,
    status: termination.status,
    requestedAt: termination.requestedAt.toUTC().toISO(),
    deleteAfter: termination.deleteAfter.toUTC().toISO(),
    exportReady: termination.dsrExportId !== null,
    executedAt: termination.executedAt?.toUTC().toISO() ?? null,
    certificateDocumentId: termination.certificateDocumentId,
  }
}

async function ownMerchant(ctx: HttpContext) {
  const merchantId = principalOf(ctx).merchantId
  if (!merchantId) throw new Forbidden('A merchant ends its own service.')
  const merchant = await Merchant.find(merchantId)
  if (!merchant) throw new NotFound('merchant')
  return merchant
}

async function request(ctx: HttpContext) {
  const merchant = await ownMerchant(ctx)
  const { choice } = await ctx.request.validateUsing(terminationRequestValidator)
  const principal = principalOf(ctx)
  return terminations.request(merchant, choice, {
    actor: actorOf(principal),
    userId: principal.kind === 'user' ? principal.userId : null,
    tokenId: principal.tokenId,
  })
}

function staffUserId(ctx: HttpContext) {
  const principal = principalOf(ctx)
  if (principal.kind !== 'user' || principal.merchantId !== null || !principal.userId) {
    throw new Forbidden('Only Conversera staff prepare and approve a merchant-wide deletion.')
  }
  return principal.userId
}

/** Merchant termination: the merchant asks (API, portal); two staff members prepare and approve. */
export default class TerminationsController {
  /** POST /api/v1/termination */
  async apiStore(ctx: HttpContext) {
    const termination = await request(ctx)
    return ctx.response.created({ data: serialize(termination) })
  }

  /** GET /api/v1/termination: the merchant's latest request, or null. */
  async apiShow(ctx: HttpContext) {
    const merchant = await ownMerchant(ctx)
    const termination = await terminations.current(merchant.id)
    return { data: termination ? serialize(termination) : null }
  }

  /** GET /api/v1/terminations/:id/export: the "return" package (each download is audited). */
  async apiExport(ctx: HttpContext) {
    const merchant = await ownMerchant(ctx)
    const termination = await terminations.find(Number(ctx.params.id))
    if (termination.merchantId !== merchant.id) throw new NotFound('termination')
    const row = termination.dsrExportId ? await DsrExport.find(termination.dsrExportId) : null
    if (!row || row.merchantId !== merchant.id) throw new NotFound('export')
    const bytes = await downloadExport(row, actorOf(principalOf(ctx)))
    return ctx.response
      .header('content-type', contentTypeOf(row))
      .header('content-disposition', `attachment; filename="${fileNameOf(row)}"`)
      .header('cache-control', 'no-store')
      .send(bytes)
  }

  /** POST /api/v1/terminations/:id/prepare (staff) */
  async apiPrepare(ctx: HttpContext) {
    const termination = await terminations.find(Number(ctx.params.id))
    return { data: serialize(await terminations.prepare(termination, staffUserId(ctx))) }
  }

  /** POST /api/v1/terminations/:id/approve (staff, not the preparer) */
  async apiApprove(ctx: HttpContext) {
    const termination = await terminations.find(Number(ctx.params.id))
    return { data: serialize(await terminations.approve(termination, staffUserId(ctx))) }
  }

  /** GET /dsr/terminations: the staff list, filtered and paged. */
  async index(ctx: HttpContext) {
    const filter = await terminationFilterValidator.validate(ctx.request.qs())
    const { page, perPage } = pageOf(filter)
    const status = filter.status ?? 'awaiting_staff'
    const rows = await terminations
      .list({ status, merchantId: filter.merchantId })
      .paginate(page, perPage)
    rows.baseUrl(router.makeUrl('dsr.terminations.index'))
    rows.queryString(filtersOf({ ...filter, status }))
    const merchants = await Merchant.query().orderBy('legal_name')
    return ctx.view.render('pages/dsr/terminations/index', {
      terminations: rows,
      filter: { ...filter, status },
      statuses: ['awaiting_staff', 'any', ...TERMINATION_STATUSES],
      merchants,
      merchantNames: Object.fromEntries(merchants.map((m) => [m.id, m.legalName])),
      sections: await dsrSections(principalOf(ctx)),
    })
  }

  /** GET /dsr/terminations/:id: the request, its final export, who acted, what may be done now. */
  async staffShow(ctx: HttpContext) {
    const termination = await terminations.find(Number(ctx.params.id))
    const principal = principalOf(ctx)
    const merchant = await Merchant.findOrFail(termination.merchantId)
    const exported = termination.dsrExportId ? await DsrExport.find(termination.dsrExportId) : null
    const codes = exported ? exported.summary.tables.flatMap((table) => table.categories) : []
    const categories = codes.length ? await DataCategory.query().whereIn('code', codes) : []
    const names = await namesOf(
      principal,
      [termination.requestedByUserId, termination.preparedByUserId, termination.approvedByUserId],
      TERMINATION_REVIEW_PURPOSE
    )
    return ctx.view.render('pages/dsr/terminations/show', {
      termination,
      merchant,
      exported,
      categoryNames: Object.fromEntries(categories.map((c) => [c.code, c.name])),
      names: Object.fromEntries(names),
      actions: terminations.actionsFor(termination, principal.userId),
    })
  }

  /** POST /dsr/terminations/:id/prepare */
  async prepare(ctx: HttpContext) {
    const termination = await terminations.find(Number(ctx.params.id))
    await terminations.prepare(termination, staffUserId(ctx))
    ctx.session.flash('success', ctx.i18n.t('termination.console.flash.prepared'))
    return ctx.response.redirect().toRoute('dsr.terminations.show', { id: termination.id })
  }

  /** POST /dsr/terminations/:id/approve (not the preparer) */
  async approve(ctx: HttpContext) {
    const termination = await terminations.find(Number(ctx.params.id))
    await terminations.approve(termination, staffUserId(ctx))
    ctx.session.flash('success', ctx.i18n.t('termination.console.flash.approved'))
    return ctx.response.redirect().toRoute('dsr.terminations.show', { id: termination.id })
  }

  /** GET /portal/termination */
  async show(ctx: HttpContext) {
    const merchant = await ownMerchant(ctx)
    const termination = await terminations.current(merchant.id)
    return ctx.view.render('pages/dsr/termination', {
      merchant,
      termination: termination ? serialize(termination) : null,
      graceDays: graceDays(),
      choices: [
        { value: 'return', label: ctx.i18n.t('termination.choice_return') },
        { value: 'delete', label: ctx.i18n.t('termination.choice_delete') },
      ],
    })
  }

  /** POST /portal/termination */
  async store(ctx: HttpContext) {
    await request(ctx)
    ctx.session.flash('success', ctx.i18n.t('termination.requested'))
    return ctx.response.redirect().toRoute('portal.termination')
  }
}
