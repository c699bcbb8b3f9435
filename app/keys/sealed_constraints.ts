import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { BaseSchema } from '@adonisjs/lucid/schema'
import { encryptedColumnsOf, migratedEncryptedModels } from '#keys/encrypted_columns'

/*
 * The database's own refusal of plaintext in a sealed column: a CHECK that the value is NULL or
 * has the `e1.` sealed form. The hooks already refuse to write plaintext; this catches every path
 * around them (raw SQL, a psql session, another service on the same database).
 */
const SEALED_FORM = String.raw`^e1\.[ms][1-9][0-9]*\.[A-Za-z0-9_-]+$`

function q(identifier: string) {
  return `"${identifier.replace(/"/g, '""')}"`
}

/** `<table>_<column>_sealed`, shortened with a hash when over PostgreSQL's 63-byte limit. */
export function sealedCheckName(table: string, column: string) {
  const name = `${table}_${column}_sealed`
  if (name.length <= 63) return name
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 10)
  return `${name.slice(0, 45)}_${digest}_sealed`
}

export function sealedCheckSql(table: string, column: string) {
  return `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(sealedCheckName(table, column))}
    CHECK (${q(column)} IS NULL OR ${q(column)} ~ '${SEALED_FORM}')`
}

/**
 * For a module's migration, after it creates a table with `@encrypted` columns:
 * `requireSealed(this.schema, 'customers', ['phone', 'display_name'])`. `datamap:check` fails
 * while a declared column lacks its check.
 */
export function requireSealed(schema: BaseSchema['schema'], table: string, columns: string[]) {
  for (const column of columns) schema.raw(sealedCheckSql(table, column))
}

export function dropSealedChecks(schema: BaseSchema['schema'], table: string, columns: string[]) {
  for (const column of columns) {
    schema.raw(
      `ALTER TABLE ${q(table)} DROP CONSTRAINT IF EXISTS ${q(sealedCheckName(table, column))}`
    )
  }
}

/** Columns declared `@encrypted` (in a migrated table) that have no sealed-form check. */
export async function missingSealedChecks(): Promise<{ table: string; column: string }[]> {
  const result = await db.rawQuery(
    `SELECT conname, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = current_schema() AND c.contype = 'c'`
  )
  const present = new Set(
    (result.rows as { conname: string; definition: string }[])
      .filter((row) => row.definition.includes(SEALED_FORM))
      .map((row) => row.conname)
  )
  const missing = []
  for (const model of await migratedEncryptedModels()) {
    for (const spec of encryptedColumnsOf(model)) {
      if (!present.has(sealedCheckName(model.table, spec.columnName))) {
        missing.push({ table: model.table, column: spec.columnName })
      }
    }
  }
  return missing
}
