import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { BatchAdapter, FilteredAdapter, Model } from 'casbin'

/** Which policy to load: the shared domain-`*` rules and/or the rows of some domains. */
export interface PolicyFilter {
  domains: string[]
  shared?: boolean
}

const VALUE_COLUMNS = ['v0', 'v1', 'v2', 'v3', 'v4', 'v5'] as const
const TABLE = 'casbin_rules'

type RuleRow = { ptype: string } & Record<(typeof VALUE_COLUMNS)[number], string>

function toRow(ptype: string, rule: string[]): RuleRow {
  const row = { ptype } as RuleRow
  VALUE_COLUMNS.forEach((column, index) => (row[column] = rule[index] ?? ''))
  return row
}

function toRule(row: RuleRow): string[] {
  const values = VALUE_COLUMNS.map((column) => row[column])
  while (values.length && values[values.length - 1] === '') values.pop()
  return values
}

/** The rules of `rules` that are not in `other`. */
export function ruleDifference(rules: string[][], other: string[][]) {
  const seen = new Set(other.map((rule) => rule.join('\u0000')))
  return rules.filter((rule) => !seen.has(rule.join('\u0000')))
}

/**
 * Casbin adapter over the `casbin_rules` table (PostgreSQL through Lucid's query builder).
 * `insertRules`/`deleteRules` take the caller's transaction so a role change, its audit event
 * and its NOTIFY commit together; the Casbin interface methods wrap them.
 */
export class LucidCasbinAdapter implements FilteredAdapter, BatchAdapter {
  private filtered = false

  isFiltered() {
    return this.filtered
  }

  async loadPolicy(model: Model) {
    this.filtered = false
    const rows: RuleRow[] = await db.from(TABLE).orderBy('id')
    rows.forEach((row) => this.loadRow(model, row))
  }

  /** Loads the shared rules (unless `shared: false`) and every row of the given domains. */
  async loadFilteredPolicy(model: Model, filter: PolicyFilter) {
    this.filtered = true
    const rows = await this.fetch(filter)
    rows.forEach((row) => this.loadRow(model, row))
  }

  /** The rows a filter selects, as Casbin rules grouped by ptype. */
  async rulesOf(filter: PolicyFilter, client?: QueryClientContract) {
    const rows = await this.fetch(filter, client)
    const byType = new Map<string, string[][]>()
    for (const row of rows) {
      byType.set(row.ptype, [...(byType.get(row.ptype) ?? []), toRule(row)])
    }
    return byType
  }

  async savePolicy(model: Model) {
    if (this.filtered) throw new Error('refusing to save a filtered policy over the full table')
    await db.transaction(async (trx) => {
      await trx.from(TABLE).delete()
      for (const sec of ['p', 'g']) {
        for (const [ptype, assertion] of model.model.get(sec) ?? new Map()) {
          await this.insertRules(ptype, assertion.policy, trx)
        }
      }
    })
    return true
  }

  async addPolicy(_sec: string, ptype: string, rule: string[]) {
    await this.insertRules(ptype, [rule])
  }

  async addPolicies(_sec: string, ptype: string, rules: string[][]) {
    await this.insertRules(ptype, rules)
  }

  async removePolicy(_sec: string, ptype: string, rule: string[]) {
    await this.deleteRules(ptype, [rule])
  }

  async removePolicies(_sec: string, ptype: string, rules: string[][]) {
    await this.deleteRules(ptype, rules)
  }

  async removeFilteredPolicy(
    _sec: string,
    ptype: string,
    fieldIndex: number,
    ...fieldValues: string[]
  ) {
    const query = db.from(TABLE).where('ptype', ptype)
    fieldValues.forEach((value, offset) => {
      if (value) query.where(VALUE_COLUMNS[fieldIndex + offset], value)
    })
    await query.delete()
  }

  /** Inserts rules, skipping ones already present; returns the rules actually added. */
  async insertRules(
    ptype: string,
    rules: string[][],
    client: QueryClientContract = db.connection()
  ) {
    if (!rules.length) return []
    const inserted: RuleRow[] = await client
      .knexQuery()
      .table(TABLE)
      .insert(rules.map((rule) => toRow(ptype, rule)))
      .onConflict(['ptype', ...VALUE_COLUMNS])
      .ignore()
      .returning(['ptype', ...VALUE_COLUMNS])
    return inserted.map(toRule)
  }

  /** Deletes rules; returns the rules that existed. */
  async deleteRules(
    ptype: string,
    rules: string[][],
    client: QueryClientContract = db.connection()
  ) {
    const removed: string[][] = []
    for (const rule of rules) {
      const row = toRow(ptype, rule)
      const count = await client.from(TABLE).where(row).delete()
      if (Number(count)) removed.push(rule)
    }
    return removed
  }

  private async fetch(
    filter: PolicyFilter,
    client: QueryClientContract = db.connection()
  ): Promise<RuleRow[]> {
    if (filter.shared === false && !filter.domains.length) return []
    return client
      .from(TABLE)
      .where((query) => {
        if (filter.shared !== false) query.orWhere((p) => p.where('ptype', 'p').where('v1', '*'))
        if (filter.domains.length) {
          query
            .orWhere((p) => p.where('ptype', 'p').whereIn('v1', filter.domains))
            .orWhere((g) => g.where('ptype', 'like', 'g%').whereIn('v2', filter.domains))
        }
      })
      .orderBy('id')
  }

  /**
   * Appends straight to the assertion: `model.addPolicy` first scans every loaded rule for a
   * duplicate (quadratic: 2 s for 15,000 rows), and the unique index already rules those out.
   */
  private loadRow(model: Model, row: RuleRow) {
    const assertion = model.model.get(row.ptype.charAt(0))?.get(row.ptype)
    if (!assertion) throw new Error(`casbin_rules row with unknown ptype "${row.ptype}"`)
    assertion.policy.push(toRule(row))
  }
}
