import db from '@adonisjs/lucid/services/db'
import {
  MERCHANT_COLUMN,
  REFERENCE_COLUMN,
  SUBJECT_COLUMN,
  SUBJECT_TABLE,
  subjectTables,
  type SubjectTable,
} from '#dsr/execution/inventory_plan'
import {
  SubjectIndexes,
  presentIdentifiers,
  type SubjectIdentifiers,
} from '#dsr/execution/identifiers'
import { findSubjectJobs, type LocatedJob } from '#dsr/execution/queued_jobs'

export interface LocatedTable {
  table: string
  module: string
  /** The column the rows were found by: `customer_id`, `id` (the customers table) or a blind index. */
  column?: string
  rows: number
  /** Set for evidence tables (kept, stripped, on erasure). */
  evidence?: string
}

export interface Location {
  /** Ids of the matching customers of this merchant. */
  customers: number[]
  tables: LocatedTable[]
  /** Queued, delayed or failed jobs whose payload names one of the located rows. */
  jobs: LocatedJob[]
  /** Rows found (evidence rows aside) plus jobs found. */
  total: number
}

/** How to select a table's rows of the subject (for counting, exporting and erasing). */
export interface RowSelection {
  spec: SubjectTable
  /** SQL condition (after `WHERE`) and its bindings. */
  where: string
  bindings: any[]
  column: string
}

export interface LocatedSubject extends Location {
  selections: RowSelection[]
}

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`

async function indexConditions(spec: SubjectTable, indexes: SubjectIndexes) {
  const parts: string[] = []
  const bindings: any[] = []
  const columns: string[] = []
  for (const { column, identifier, kind } of spec.identifierColumns) {
    const values = await indexes.valuesFor(identifier, kind)
    if (!values.length) continue
    parts.push(`${q(column)} = ANY(?)`)
    bindings.push(values)
    columns.push(column)
  }
  return { parts, bindings, columns }
}

/** The customers of `merchantId` that the identifiers name (blind indexes and the reference). */
async function customerIds(
  merchantId: number,
  tables: SubjectTable[],
  identifiers: SubjectIdentifiers,
  indexes: SubjectIndexes
) {
  const ids = new Set<number>()
  const reference = presentIdentifiers(identifiers).customer_ref
  const subject = tables.find((t) => t.isSubject)
  if (reference && subject) {
    const rows = await db
      .from(SUBJECT_TABLE)
      .where(MERCHANT_COLUMN, merchantId)
      .where(REFERENCE_COLUMN, reference)
      .select('id')
    for (const row of rows) ids.add(Number(row.id))
  }
  for (const spec of tables) {
    // Evidence rows (a DSR case naming the person) never decide who the subject is
    if ((!spec.isSubject && !spec.byCustomer) || spec.evidence) continue
    const { parts, bindings } = await indexConditions(spec, indexes)
    if (!parts.length) continue
    const column = spec.isSubject ? 'id' : SUBJECT_COLUMN
    const result = await db.rawQuery(
      `SELECT DISTINCT ${q(column)} AS id FROM ${q(spec.table)}
        WHERE ${q(MERCHANT_COLUMN)} = ? AND (${parts.join(' OR ')}) AND ${q(column)} IS NOT NULL`,
      [merchantId, ...bindings]
    )
    for (const row of result.rows as { id: number | string }[]) ids.add(Number(row.id))
  }
  return [...ids].sort((a, b) => a - b)
}

/** Each table's selection of the subject's rows, or null when the table cannot hold any. */
async function selectionOf(
  spec: SubjectTable,
  merchantId: number,
  customers: number[],
  indexes: SubjectIndexes,
  exclusive: boolean
): Promise<RowSelection | null> {
  const parts: string[] = []
  const bindings: any[] = []
  let column = ''
  const linked = spec.isSubject || spec.byCustomer
  if (customers.length && linked) {
    column = spec.isSubject ? 'id' : SUBJECT_COLUMN
    parts.push(`${q(column)} = ANY(?)`)
    bindings.push(customers)
  }
  // Customers chosen by staff: identifiers no longer pull in the other customers they match
  const byIndex =
    exclusive && linked && !spec.evidence
      ? { parts: [], bindings: [], columns: [] }
      : await indexConditions(spec, indexes)
  parts.push(...byIndex.parts)
  bindings.push(...byIndex.bindings)
  if (!parts.length) return null
  return {
    spec,
    where: `${q(MERCHANT_COLUMN)} = ? AND (${parts.join(' OR ')})`,
    bindings: [merchantId, ...bindings],
    column: column || byIndex.columns.join(', '),
  }
}

/**
 * Finds everything of one data subject at one merchant, across every table the field inventory
 * maps (see `subjectTables`) and the job queues. Each table costs one indexed query; nothing is
 * decrypted. Malformed identifiers are refused (422) before anything is read.
 */
export async function locate(
  merchantId: number,
  identifiers: SubjectIdentifiers,
  options: { customers?: number[] } = {}
): Promise<LocatedSubject> {
  const indexes = new SubjectIndexes(merchantId, identifiers)
  await indexes.validate()
  const tables = await subjectTables()
  // Known customers (a case whose customer staff confirmed) are the subject, and only they are
  const exclusive = Boolean(options.customers?.length)
  const customers = exclusive
    ? [...new Set(options.customers)].sort((a, b) => a - b)
    : await customerIds(merchantId, tables, identifiers, indexes)
  const selections: RowSelection[] = []
  const located: LocatedTable[] = []
  // One indexed count per table, all at once (latency of the slowest, not the sum)
  const counted = await Promise.all(
    tables.map(async (spec) => {
      const selection = await selectionOf(spec, merchantId, customers, indexes, exclusive)
      if (!selection) return null
      const result = await db.rawQuery(
        `SELECT count(*)::int AS rows FROM ${q(spec.table)} WHERE ${selection.where}`,
        selection.bindings
      )
      return { spec, selection, rows: Number(result.rows[0]?.rows ?? 0) }
    })
  )
  for (const entry of counted) {
    if (!entry?.rows) continue
    const { spec, selection, rows } = entry
    selections.push(selection)
    located.push({
      table: spec.table,
      module: spec.module,
      column: selection.column,
      rows,
      ...(spec.evidence ? { evidence: spec.evidence } : {}),
    })
  }
  const jobs = await findSubjectJobs(customers, selections)
  // Evidence rows are listed but are not the subject's data: "no data found" ignores them
  const total = located.filter((t) => !t.evidence).reduce((sum, t) => sum + t.rows, 0) + jobs.length
  return { customers, tables: located, jobs, total, selections }
}

/** The DSR execution interface (CONTRACTS.md): where the subject's data is, without the plan. */
export async function locateSubject(
  merchantId: number,
  identifiers: SubjectIdentifiers
): Promise<Location> {
  const { customers, tables, jobs, total } = await locate(merchantId, identifiers)
  return { customers, tables, jobs, total }
}

/**
 * Every row of a merchant in the tables that hold customer data (merchant termination: the
 * "return" package and the purge). Evidence tables are listed but are not the merchant's data.
 */
export async function locateMerchant(merchantId: number): Promise<LocatedSubject> {
  const selections: RowSelection[] = []
  const located: LocatedTable[] = []
  for (const spec of await subjectTables()) {
    const selection: RowSelection = {
      spec,
      where: `${q(MERCHANT_COLUMN)} = ?`,
      bindings: [merchantId],
      column: MERCHANT_COLUMN,
    }
    const result = await db.rawQuery(
      `SELECT count(*)::int AS rows FROM ${q(spec.table)} WHERE ${selection.where}`,
      selection.bindings
    )
    const rows = Number(result.rows[0]?.rows ?? 0)
    selections.push(selection)
    located.push({
      table: spec.table,
      module: spec.module,
      column: MERCHANT_COLUMN,
      rows,
      ...(spec.evidence ? { evidence: spec.evidence } : {}),
    })
  }
  const total = located.filter((t) => !t.evidence).reduce((sum, t) => sum + t.rows, 0)
  return { customers: [], tables: located, jobs: [], total, selections }
}
