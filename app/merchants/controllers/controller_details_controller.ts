import type { HttpContext } from '@adonisjs/core/http'
import { NotFound } from '#core/errors'
import Merchant from '#merchants/models/merchant'
import { controllerDetailsValidator } from '#merchants/validators/controller_details'
import { saveControllerDetails } from '#merchants/services/controller_details'
import { can } from '#access/services/authorization'

async function ownMerchant(ctx: HttpContext) {
  const merchantId = ctx.principal?.merchantId
  const merchant = merchantId ? await Merchant.find(merchantId) : null
  if (!merchant) throw new NotFound('merchant')
  return merchant
}

/** Portal page where a merchant keeps the controller details its RoPA and SCC annexes print. */
export default class ControllerDetailsController {
  async edit(ctx: HttpContext) {
    const merchant = await ownMerchant(ctx)
    return ctx.view.render('pages/merchants/controller_details', {
      merchant,
      values: {
        contactAddress: merchant.contactAddress ?? '',
        contactEmail: merchant.contactEmail ?? '',
        dpoName: merchant.dpoName ?? '',
        dpoEmail: merchant.dpoEmail ?? '',
        representativeName: merchant.representativeName ?? '',
        representativeContact: merchant.representativeContact ?? '',
      },
      mayEdit: await can(ctx.principal!, 'merchant:profile'),
    })
  }

  async update(ctx: HttpContext) {
    const merchant = await ownMerchant(ctx)
    const payload = await ctx.request.validateUsing(controllerDetailsValidator)
    await saveControllerDetails(merchant, payload)
    ctx.session.flash('success', ctx.i18n.t('merchants.flash.saved'))
    return ctx.response.redirect().toRoute('portal.merchant.details')
  }
}
