import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type { Principal } from '#access/principal'
import { PLATFORM_DOMAIN } from '#access/services/authorization'
import { NotFound } from '#core/errors'

interface ScopeOptions {
  /** Column naming the owning merchant; `id` for the merchants table itself. */
  column?: string
}

/** Staff act across merchants (their permission is checked by the route); nobody else does. */
function seesEveryMerchant(principal: Principal) {
  return principal.kind === 'user' && principal.domain === PLATFORM_DOMAIN
}

/**
 * The one way to read merchant-owned rows: a query on `model` restricted to the principal's
 * merchant. A principal with neither platform reach nor a merchant sees nothing.
 */
export function scopedQuery<Model extends LucidModel>(
  principal: Principal,
  model: Model,
  options: ScopeOptions = {}
): ModelQueryBuilderContract<Model, InstanceType<Model>> {
  const query = model.query()
  if (seesEveryMerchant(principal)) return query
  const column = `${model.table}.${options.column ?? 'merchant_id'}`
  if (principal.merchantId === null) return query.whereRaw('false')
  return query.where(column, principal.merchantId)
}

/**
 * Finds one merchant-owned row by primary key within the principal's reach. Another tenant's
 * row is answered exactly like a missing one (404), so ids reveal nothing across tenants.
 */
export async function findScopedOrFail<Model extends LucidModel>(
  principal: Principal,
  model: Model,
  id: number | string,
  options: ScopeOptions & { what?: string } = {}
): Promise<InstanceType<Model>> {
  const row = await scopedQuery(principal, model, options)
    .where(`${model.table}.${model.primaryKey}`, id)
    .first()
  if (!row) throw new NotFound(options.what)
  return row
}
