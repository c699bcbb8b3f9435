import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { countryName, countryOptions } from '#core/countries'
import Merchant from '#merchants/models/merchant'
import Subprocessor from '#vendors/models/subprocessor'
import { SCC_MODULES } from '#vendors/models/scc_agreement'
import sccAgreements from '#vendors/services/scc_agreements'
import {
  accessionValidator,
  sccAgreementValidator,
  sccPartyValidator,
} from '#vendors/validators/scc_agreement'

/** Console pages for SCC agreements, their parties and docking-clause accessions. */
export default class SccAgreementsController {
  async index({ request, view }: HttpContext) {
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const agreements = await sccAgreements.list(page)
    agreements.baseUrl(router.makeUrl('vendors.scc.index'))
    return view.render('pages/vendors/scc/index', { agreements, modules: SCC_MODULES })
  }

  async show({ params, view }: HttpContext) {
    const agreement = await sccAgreements.find(Number(params.id))
    const partyMerchantIds = agreement.parties.map((p) => p.merchantId).filter(Boolean)
    const merchants = await Merchant.query()
      .whereNot('status', 'terminated')
      .whereNotIn('id', partyMerchantIds as number[])
      .orderBy('legal_name')
    return view.render('pages/vendors/scc/show', {
      agreement,
      merchants,
      countries: countryOptions(),
      countryName,
      subprocessors: await Subprocessor.query().orderBy('name'),
    })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/vendors/scc/form', {
      modules: SCC_MODULES,
      countries: countryOptions(),
      subprocessors: await Subprocessor.query().whereNot('status', 'retired').orderBy('name'),
    })
  }

  async store(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(sccAgreementValidator)
    const agreement = await sccAgreements.create(payload)
    ctx.session.flash(
      'success',
      ctx.i18n.t('vendors.flash.scc_recorded', { reference: agreement.reference })
    )
    return ctx.response.redirect().toRoute('vendors.scc.show', { id: agreement.id })
  }

  async addParty(ctx: HttpContext) {
    const agreement = await sccAgreements.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(sccPartyValidator)
    await sccAgreements.addParty(agreement, payload)
    ctx.session.flash(
      'success',
      ctx.i18n.t('vendors.flash.party_added', {
        name: payload.name,
        side: ctx.i18n.t(`vendors.scc.side.${payload.side}`, {}, payload.side),
      })
    )
    return ctx.response.redirect().toRoute('vendors.scc.show', { id: agreement.id })
  }

  async accede(ctx: HttpContext) {
    const agreement = await sccAgreements.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(accessionValidator)
    const party = await sccAgreements.accede(agreement, payload.merchantId, payload.joinedOn)
    ctx.session.flash(
      'success',
      ctx.i18n.t('vendors.flash.party_acceded', {
        name: party.name,
        reference: agreement.reference,
      })
    )
    return ctx.response.redirect().toRoute('vendors.scc.show', { id: agreement.id })
  }
}
