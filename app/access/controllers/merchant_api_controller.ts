import type { HttpContext } from '@adonisjs/core/http'
import type { Principal } from '#access/principal'
import Merchant from '#merchants/models/merchant'
import { principalOf } from '#access/principal'
import { findScopedOrFail } from '#access/services/tenant_scope'
import { NotFound } from '#core/errors'

function serialize(merchant: Merchant) {
  return {
    id: merchant.id,
    slug: merchant.slug,
    legalName: merchant.legalName,
    countryCode: merchant.countryCode,
    status: merchant.status,
    createdAt: merchant.createdAt.toUTC().toISO(),
  }
}

function caller(principal: Principal) {
  return {
    kind: principal.kind,
    tokenId: principal.tokenId,
    domain: principal.domain,
    roles: principal.roles,
    scopes: principal.scopes,
  }
}

/** Who am I, and which merchant: the smallest merchant-scoped API, for clients and tenancy tests. */
export default class MerchantApiController {
  async current(ctx: HttpContext) {
    const principal = principalOf(ctx)
    if (principal.merchantId === null) throw new NotFound('merchant')
    const merchant = await findScopedOrFail(principal, Merchant, principal.merchantId, {
      column: 'id',
      what: 'merchant',
    })
    return { data: { merchant: serialize(merchant), principal: caller(principal) } }
  }

  async show(ctx: HttpContext) {
    const merchant = await findScopedOrFail(principalOf(ctx), Merchant, Number(ctx.params.id), {
      column: 'id',
      what: 'merchant',
    })
    return { data: serialize(merchant) }
  }
}
