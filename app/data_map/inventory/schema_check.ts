import db from '@adonisjs/lucid/services/db'
import { sealedColumnNames } from '#keys/encrypted_columns'
import { missingSealedChecks } from '#keys/sealed_constraints'
import { collectFieldInventory, type InventoriedTable } from '#data_map/inventory/collector'

export type InventoryIssueKind =
  | 'unmapped'
  | 'missing'
  | 'unencrypted'
  | 'not_ciphertext'
  | 'conflict'
  | 'bad_retention'
  | 'unknown_category'
  | 'unchecked_seal'

export interface InventoryIssue {
  kind: InventoryIssueKind
  table: string
  column: string | null
  message: string
}

export interface LiveColumn {
  table: string
  column: string
  dataType: string
}

/* Lucid's own bookkeeping tables are not application data. */
const IGNORED_TABLES = /^adonis_schema/

const TIMESTAMP_TYPES = new Set(['timestamp with time zone', 'timestamp without time zone', 'date'])
const HASH_TYPES = new Set(['bytea', 'character', 'character varying', 'text'])

export async function liveColumns(): Promise<LiveColumn[]> {
  const result = await db.rawQuery(
    `SELECT c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`
  )
  return (result.rows as Array<{ table_name: string; column_name: string; data_type: string }>)
    .filter((row) => !IGNORED_TABLES.test(row.table_name))
    .map((row) => ({ table: row.table_name, column: row.column_name, dataType: row.data_type }))
}

/**
 * Compares the inventory with the live schema. Pure, so the rules are unit-tested without a
 * database; `checkFieldInventory()` feeds it the real thing.
 */
export function compareInventory(
  inventory: InventoriedTable[],
  live: LiveColumn[],
  /** Category codes of the taxonomy; an empty set (unseeded database) skips this check. */
  categories: Set<string> = new Set(),
  /** `table.column` sealed by #keys `@encrypted`: text `e1.` ciphertexts rather than bytea. */
  sealedColumns: Set<string> = new Set()
) {
  const issues: InventoryIssue[] = []
  const unknownCategory = (table: string, column: string | null, code: string) => {
    if (categories.size > 0 && !categories.has(code)) {
      issues.push({
        kind: 'unknown_category',
        table,
        column,
        message: `data category "${code}" is not in the data map's taxonomy`,
      })
    }
  }
  const liveByTable = new Map<string, Map<string, LiveColumn>>()
  for (const column of live) {
    if (!liveByTable.has(column.table)) liveByTable.set(column.table, new Map())
    liveByTable.get(column.table)!.set(column.column, column)
  }

  const claimed = new Map<string, InventoriedTable>()
  for (const spec of inventory) {
    const previous = claimed.get(spec.table)
    if (previous) {
      issues.push({
        kind: 'conflict',
        table: spec.table,
        column: null,
        message: `classified by both "${previous.module}" and "${spec.module}"`,
      })
      continue
    }
    claimed.set(spec.table, spec)
    const columns = liveByTable.get(spec.table) ?? new Map<string, LiveColumn>()
    const personal = Object.entries(spec.personal ?? {})

    for (const name of spec.nonPersonal) {
      if (spec.personal?.[name]) {
        issues.push({
          kind: 'conflict',
          table: spec.table,
          column: name,
          message: 'listed as both personal and non-personal',
        })
      }
      if (!columns.has(name)) {
        issues.push({
          kind: 'missing',
          table: spec.table,
          column: name,
          message: 'mapped but not in the schema',
        })
      }
    }

    for (const [name, column] of personal) {
      unknownCategory(spec.table, name, column.category)
      const liveColumn = columns.get(name)
      if (!liveColumn) {
        issues.push({
          kind: 'missing',
          table: spec.table,
          column: name,
          message: 'mapped but not in the schema',
        })
        continue
      }
      if (!column.encrypted) {
        issues.push({
          kind: 'unencrypted',
          table: spec.table,
          column: name,
          message: `personal data (${column.category}) not encrypted`,
        })
        continue
      }
      const form = column.form ?? 'ciphertext'
      const storedOk =
        form === 'ciphertext'
          ? liveColumn.dataType === 'bytea' || sealedColumns.has(`${spec.table}.${name}`)
          : HASH_TYPES.has(liveColumn.dataType)
      if (!storedOk) {
        issues.push({
          kind: 'not_ciphertext',
          table: spec.table,
          column: name,
          message: `marked encrypted but stored as ${liveColumn.dataType}, not ${form === 'ciphertext' ? 'bytea ciphertext' : 'a keyed hash'}`,
        })
      }
    }

    if (spec.retention) {
      unknownCategory(spec.table, null, spec.retention.category)
      const from = columns.get(spec.retention.from)
      if (!from || !TIMESTAMP_TYPES.has(from.dataType)) {
        issues.push({
          kind: 'bad_retention',
          table: spec.table,
          column: spec.retention.from,
          message: 'retention counts from a column that is not a timestamp of this table',
        })
      }
      if (spec.retention.merchantColumn && !columns.has(spec.retention.merchantColumn)) {
        issues.push({
          kind: 'bad_retention',
          table: spec.table,
          column: spec.retention.merchantColumn,
          message: 'retention merchant column is not in this table',
        })
      }
    }

    for (const name of columns.keys()) {
      if (!spec.personal?.[name] && !spec.nonPersonal.includes(name)) {
        issues.push({
          kind: 'unmapped',
          table: spec.table,
          column: name,
          message: 'column is not classified',
        })
      }
    }
  }

  for (const [table, columns] of liveByTable) {
    if (claimed.has(table)) continue
    for (const name of columns.keys()) {
      issues.push({ kind: 'unmapped', table, column: name, message: 'table is not classified' })
    }
  }

  return {
    issues,
    tables: liveByTable.size,
    columns: live.length,
  }
}

export async function checkFieldInventory() {
  const [inventory, live, categories, sealedColumns, unchecked] = await Promise.all([
    collectFieldInventory(),
    liveColumns(),
    db.from('data_categories').select('code'),
    sealedColumnNames(),
    missingSealedChecks(),
  ])
  const result = compareInventory(
    inventory,
    live,
    new Set(categories.map((row) => row.code as string)),
    sealedColumns
  )
  // The database must refuse plaintext in a sealed column too (#keys/sealed_constraints)
  for (const { table, column } of unchecked) {
    result.issues.push({
      kind: 'unchecked_seal',
      table,
      column,
      message: 'declared @encrypted but has no CHECK for the sealed form (requireSealed)',
    })
  }
  return result
}
