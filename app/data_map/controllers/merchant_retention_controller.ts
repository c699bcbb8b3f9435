import type { HttpContext } from '@adonisjs/core/http'
import { principalOf } from '#access/principal'
import { NotFound } from '#core/errors'
import DataCategory from '#data_map/models/data_category'
import retentionPolicy from '#data_map/services/retention_policy'
import { merchantOverrideValidator } from '#data_map/validators/retention'

/** The merchant's own principal; staff have no merchant to instruct for here. */
function merchantIdOf(ctx: HttpContext) {
  const merchantId = principalOf(ctx).merchantId
  if (!merchantId) throw new NotFound('merchant')
  return merchantId
}

async function categoryOf(ctx: HttpContext) {
  const category = await DataCategory.findBy('code', ctx.params.category)
  if (!category) throw new NotFound('data category')
  return category
}

/**
 * The controller's retention instructions over the API: a merchant sees how long each category
 * is kept for it and may shorten (never lengthen) the platform rule.
 */
export default class MerchantRetentionController {
  async index(ctx: HttpContext) {
    return ctx.response.json({ data: await retentionPolicy.effectiveFor(merchantIdOf(ctx)) })
  }

  async upsert(ctx: HttpContext) {
    const merchantId = merchantIdOf(ctx)
    const category = await categoryOf(ctx)
    const payload = await ctx.request.validateUsing(merchantOverrideValidator)
    const override = await retentionPolicy.setOverride(
      {
        merchantId,
        dataCategoryId: category.id,
        durationDays: payload.durationDays,
        reason: payload.reason,
      },
      'merchant'
    )
    return ctx.response.json({
      data: {
        category: category.code,
        durationDays: override.durationDays,
        reason: override.reason,
        updatedAt: override.updatedAt.toUTC().toISO(),
      },
    })
  }

  async destroy(ctx: HttpContext) {
    const merchantId = merchantIdOf(ctx)
    const category = await categoryOf(ctx)
    await retentionPolicy.withdrawOverride(merchantId, category.id)
    return ctx.response.noContent()
  }
}
