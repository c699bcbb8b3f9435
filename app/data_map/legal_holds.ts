import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'

/**
 * Legal holds block retention purges. The DSR module owns legal holds (DESIGN.md §7) and plugs
 * in here: a holder narrows a purge query so that held rows are left out. No module registers
 * a holder yet, so today nothing is held; the purge still asks, so holds apply the day they land.
 */
export interface HoldScope {
  table: string
  /** The merchant whose rows are being purged, or null for tables without a merchant column. */
  merchantId: number | null
  /** Select of the expired rows; a holder adds `where` clauses that exclude held rows. */
  query: DatabaseQueryBuilderContract
}

export type LegalHoldFilter = (scope: HoldScope) => void | Promise<void>

class LegalHoldRegistry {
  #holders = new Map<string, LegalHoldFilter>()

  /** Returns a function that removes the holder again. */
  register(name: string, filter: LegalHoldFilter) {
    this.#holders.set(name, filter)
    return () => this.#holders.delete(name)
  }

  holders() {
    return [...this.#holders.keys()]
  }

  async exclude(scope: HoldScope) {
    for (const filter of this.#holders.values()) await filter(scope)
  }
}

export const legalHoldFilter = new LegalHoldRegistry()
