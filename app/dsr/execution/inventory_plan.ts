import db from '@adonisjs/lucid/services/db'
import { collectFieldInventory, type InventoriedTable } from '#data_map/inventory/collector'
import { identifierOfColumn, indexKindOf, type IndexedIdentifier } from '#dsr/execution/identifiers'
import type { BlindIndexKind } from '#keys/services/blind_index'

/**
 * The data subject's own record: `customers` (DESIGN.md §6). Every other table is found through
 * the field inventory: the subject is "customer `id`" here and `customer_id` everywhere else.
 */
export const SUBJECT_TABLE = 'customers'
export const SUBJECT_COLUMN = 'customer_id'
export const MERCHANT_COLUMN = 'merchant_id'
/** The opaque public id of a customer (`cus_…`) in the subject table. */
export const REFERENCE_COLUMN = 'reference'

export interface IdentifierColumn {
  column: string
  identifier: IndexedIdentifier
  kind: BlindIndexKind
}

/** One table of the inventory as the DSR execution sees it. */
export interface SubjectTable {
  table: string
  module: string
  /** The table is the customers table itself (the subject's id is its `id`). */
  isSubject: boolean
  /** Rows belong to a customer through `customer_id`. */
  byCustomer: boolean
  identifierColumns: IdentifierColumn[]
  /** Personal columns: exported (opened through the model) and, for evidence rows, cleared. */
  personalColumns: string[]
  /** Every column the inventory lists, in its order. */
  columns: string[]
  evidence?: string
  inventory: InventoriedTable
}

function columnsOf(spec: InventoriedTable) {
  return [...Object.keys(spec.personal ?? {}), ...spec.nonPersonal]
}

/** Tables of the current schema among `names`. */
async function existingTables(names: string[]) {
  if (!names.length) return new Set<string>()
  const result = await db.rawQuery(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY(?)`,
    [names]
  )
  return new Set((result.rows as { relname: string }[]).map((row) => row.relname))
}

/**
 * Every mapped table that can hold a customer's data, read from `collectFieldInventory()`: no
 * list of tables is written down anywhere else, so a table added later and mapped in its
 * module's inventory is located, exported and erased without a code change.
 *
 * A table takes part when it is merchant-scoped (`merchant_id`) and either links rows to a
 * customer (`customer_id`, or is the customers table) or keeps a blind index of a customer
 * identifier (`<identifier>_bidx`, `keyed_hash` form, a `customer.*` category).
 */
export async function subjectTables(): Promise<SubjectTable[]> {
  const inventory = await collectFieldInventory()
  const candidates: SubjectTable[] = []
  for (const spec of inventory) {
    const columns = columnsOf(spec)
    if (!columns.includes(MERCHANT_COLUMN)) continue
    const identifierColumns: IdentifierColumn[] = []
    for (const [column, personal] of Object.entries(spec.personal ?? {})) {
      if (personal.form !== 'keyed_hash' || !personal.category.startsWith('customer.')) continue
      const identifier = identifierOfColumn(column)
      if (!identifier) continue
      identifierColumns.push({
        column,
        identifier,
        kind: await indexKindOf(spec.table, column, identifier),
      })
    }
    const isSubject = spec.table === SUBJECT_TABLE
    const byCustomer = !isSubject && columns.includes(SUBJECT_COLUMN)
    if (!isSubject && !byCustomer && !identifierColumns.length) continue
    candidates.push({
      table: spec.table,
      module: spec.module,
      isSubject,
      byCustomer,
      identifierColumns,
      personalColumns: Object.entries(spec.personal ?? {})
        .filter(([, personal]) => personal.form !== 'keyed_hash')
        .map(([column]) => column),
      columns,
      evidence: spec.evidence,
      inventory: spec,
    })
  }
  const present = await existingTables(candidates.map((c) => c.table))
  return candidates.filter((c) => present.has(c.table))
}
