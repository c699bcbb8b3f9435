import db from '@adonisjs/lucid/services/db'
import fieldCipher, { isSealed, parseSealed } from '#keys/services/field_cipher'
import { minimize, type RedactionKind } from '#conversations/ai/minimization'
import { SUBJECT_COLUMN, SUBJECT_TABLE, type SubjectTable } from '#dsr/execution/inventory_plan'
import type { LocatedSubject } from '#dsr/execution/locator'
import type { ExportSummary } from '#dsr/models/dsr_export'

export type ExportRow = Record<string, unknown>

export interface SubjectData {
  tables: Record<string, ExportRow[]>
  summary: ExportSummary
  records: number
}

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`

/* Columns that name other people (the agent who replied, the staff member who acted). */
const OTHER_PEOPLE = /(^|_)(by|by_user_id|user_id)$/

function exportedColumns(spec: SubjectTable) {
  const hashes = new Set(
    Object.entries(spec.inventory.personal ?? {})
      .filter(([, personal]) => personal.form === 'keyed_hash')
      .map(([column]) => column)
  )
  return spec.columns.filter((column) => !hashes.has(column) && !OTHER_PEOPLE.test(column))
}

/** Columns whose text the person wrote to others: other people's identifiers in it are redacted. */
function contentColumns(spec: SubjectTable) {
  return new Set(
    Object.entries(spec.inventory.personal ?? {})
      .filter(([, personal]) => personal.category.startsWith('customer.content.'))
      .map(([column]) => column)
  )
}

/**
 * Opens a sealed value from a raw row: `e1.s…` is sealed under the customer's key
 * (`customer:<id>`), `e1.m…` under the merchant's data key. Null when its key is gone.
 */
async function openValue(
  value: string,
  spec: SubjectTable,
  column: string,
  row: ExportRow,
  merchantId: number
) {
  const customerId = spec.isSubject ? row.id : row[SUBJECT_COLUMN]
  const sealedFor = parseSealed(value).kind === 's' ? `customer:${customerId}` : null
  try {
    const text = await fieldCipher.open(value, {
      merchantId,
      subject: sealedFor,
      table: spec.table,
      column,
      row: String(row.id),
    })
    if (/^[[{]/.test(text)) {
      try {
        return JSON.parse(text) as unknown
      } catch {
        return text
      }
    }
    return text
  } catch {
    return undefined
  }
}

const digitsOf = (value: string) => value.replace(/\D/g, '')

/** The subject's own phone numbers and e-mails, which stay in their export. */
function ownIdentifiers(customers: ExportRow[]) {
  const phones = new Set<string>()
  const emails = new Set<string>()
  for (const row of customers) {
    for (const key of ['phone', 'wa_id']) {
      const value = row[key]
      if (typeof value === 'string' && digitsOf(value).length >= 7) phones.add(digitsOf(value))
    }
    if (typeof row.email === 'string') emails.add(row.email.toLowerCase())
  }
  return (kind: RedactionKind, match: string) => {
    if (kind === 'email') return emails.has(match.toLowerCase())
    if (kind === 'phone') {
      const digits = digitsOf(match)
      return [...phones].some((own) => own.endsWith(digits.slice(-9)) && digits.length >= 7)
    }
    return false
  }
}

/**
 * Reads every located row of the subject (evidence rows aside), opens its sealed values and
 * redacts other people's identifiers inside what the person wrote. Blind indexes and references
 * to other people (agents, staff) are left out.
 */
export async function collectSubjectData(
  merchantId: number,
  located: LocatedSubject,
  options: { redact?: boolean } = {}
): Promise<SubjectData> {
  const redact = options.redact ?? true
  const tables: Record<string, ExportRow[]> = {}
  const summary: ExportSummary = { tables: [], unreadable: 0 }
  let records = 0
  const selections = located.selections.filter((s) => !s.spec.evidence)
  // The customers row first: its identifiers decide what is the person's own
  selections.sort((a, b) => Number(b.spec.isSubject) - Number(a.spec.isSubject))
  let keep: ((kind: RedactionKind, match: string) => boolean) | null = null
  for (const selection of selections) {
    const { spec } = selection
    const columns = exportedColumns(spec)
    const content = contentColumns(spec)
    const order = spec.columns.includes('id') ? ' ORDER BY "id"' : ''
    const result = await db.rawQuery(
      `SELECT * FROM ${q(spec.table)} WHERE ${selection.where}${order}`,
      selection.bindings
    )
    if (!spec.isSubject && !keep) keep = ownIdentifiers(tables[SUBJECT_TABLE] ?? [])
    const rows: ExportRow[] = []
    for (const raw of result.rows as ExportRow[]) {
      const row: ExportRow = {}
      for (const column of columns) {
        let value = raw[column]
        if (isSealed(value)) {
          value = await openValue(value, spec, column, raw, merchantId)
          if (value === undefined) {
            summary.unreadable += 1
            value = null
          }
        }
        if (redact && typeof value === 'string' && content.has(column) && keep) {
          value = minimize(value, { keep }).text
        }
        if (value instanceof Date) value = value.toISOString()
        row[column] = value ?? null
      }
      rows.push(row)
    }
    tables[spec.table] = rows
    records += rows.length
    summary.tables.push({
      table: spec.table,
      module: spec.module,
      rows: rows.length,
      categories: [
        ...new Set(Object.values(spec.inventory.personal ?? {}).map((p) => p.category)),
      ].sort(),
    })
  }
  return { tables, summary, records }
}

function csvCell(value: unknown) {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV in long form (table, row id, column, value): every table in one machine-readable file. */
export function toCsv(tables: Record<string, ExportRow[]>) {
  const lines = ['table,row_id,column,value']
  for (const [table, rows] of Object.entries(tables)) {
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (column === 'id') continue
        lines.push([table, row.id, column, value].map(csvCell).join(','))
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`
}
