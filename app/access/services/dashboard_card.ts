import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import type { Principal } from '#access/principal'

/** Who a card is for: platform staff, merchant users, or both. */
export type Audience = 'platform' | 'merchant' | 'all'

export interface CountCard {
  /** Also its label's key: `dashboard.cards.<key>` in resources/lang. */
  key: string
  /** Values the label names (`{days}`…). */
  labelValues?: Record<string, number | string>
  /** Shown only to principals holding this permission. */
  permission: string
  audience: Audience
  /** The number within the principal's reach (always tenant-scoped for merchants). */
  count(principal: Principal): Promise<number>
  /**
   * The page that lists what is counted, linked for those who may open it. `query` is the
   * list's filter that selects exactly the counted rows (its filter bar must apply it).
   */
  link?: { route: string; permission: string; query?: () => Record<string, string> }
  /** `warn` when a non-zero count needs attention (an open item). */
  tone?: 'warn'
}

export async function countModels(query: ModelQueryBuilderContract<LucidModel>) {
  const [row] = await query.count('* as total')
  return Number(row.$extras.total)
}

/** `count(*)` of a platform-wide table (no tenant column to scope by). */
export async function countRows(query: DatabaseQueryBuilderContract) {
  const [row] = await query.count('* as total')
  return Number(row.total)
}
