import { readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { column } from '@adonisjs/lucid/orm'
import { registry } from '#keys/encrypted_registry'
import type { ColumnOptions, LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import fieldCipher, { isSealed, type FieldContext } from '#keys/services/field_cipher'
import { blindIndex, type BlindIndexKind } from '#keys/services/blind_index'
import { CiphertextInvalid } from '#keys/errors'

/**
 * How a model declares a personal-data column. Every such column in the hub uses `@encrypted`:
 *
 *   @encrypted({ merchant: 'merchantId', blindIndex: { attribute: 'emailBidx', kind: 'email' } })
 *   declare email: string
 *
 * The value is sealed before every save and opened after every find/fetch (async hooks), so code
 * reads and writes plaintext while the database only ever holds `e1.` ciphertexts; `prepare`
 * refuses to write anything else (even through `saveQuietly`, which skips hooks), reading refuses
 * a value that is not sealed, and a CHECK (`#keys/sealed_constraints`) refuses it in SQL.
 *
 * The row's primary key is part of the AAD, so a value copied into another row does not open. A
 * new row gets its id from the table's sequence before sealing (one `nextval`), since the insert
 * that would assign it comes after.
 */
export interface EncryptedColumnOptions {
  /** Attribute holding the merchant id; a null value (or no attribute) = platform scope. */
  merchant?: string
  /**
   * Seal under the data subject's key, named `<kind>:<value of attribute>` (e.g. `customer:42`).
   * The attribute must be set before the first save. Omit for merchant-level data.
   */
  subject?: { attribute: string; kind: string }
  /** Keep an exact-match blind index of this value in another attribute. */
  blindIndex?: {
    attribute: string
    kind: BlindIndexKind
    /** Index under the platform key even for merchant rows: for lookups that cannot know the merchant (login). */
    platformWide?: boolean
  }
}

export interface EncryptedColumn extends EncryptedColumnOptions {
  model: LucidModel
  attribute: string
  columnName: string
}

/** Thrown by `prepare` when something tries to store an encrypted column unsealed. */
export class PlaintextRefused extends Error {
  constructor(model: string, attribute: string) {
    super(`Refusing to store ${model}.${attribute} unencrypted (hooks skipped?)`)
    this.name = 'PlaintextRefused'
  }
}

export function encryptedColumnsOf(model: LucidModel) {
  return registry.get(model) ?? []
}

/** Every model that declares encrypted columns (import them first: see `loadEncryptedModels`). */
export function encryptedModels() {
  return [...registry.keys()]
}

/** Declared models whose table exists: one not migrated (yet) holds nothing to rotate or count. */
export async function migratedEncryptedModels() {
  await loadEncryptedModels()
  const models = []
  for (const model of encryptedModels()) {
    const found = await db.rawQuery('SELECT to_regclass(?) AS oid', [model.table])
    if (found.rows[0].oid) models.push(model)
  }
  return models
}

export function fieldContext(spec: EncryptedColumn, row: LucidRow): FieldContext {
  const attributes = row.$attributes
  const merchantId = spec.merchant ? ((attributes[spec.merchant] as number | null) ?? null) : null
  let subject: string | null = null
  if (spec.subject) {
    const value = attributes[spec.subject.attribute]
    if (value === null || value === undefined) {
      throw new Error(
        `${spec.model.name}.${spec.attribute} is sealed per subject: set ${spec.subject.attribute} before saving`
      )
    }
    subject = `${spec.subject.kind}:${value}`
  }
  const id = attributes[spec.model.primaryKey]
  if (id === null || id === undefined) {
    throw new Error(
      `${spec.model.name}.${spec.attribute} is bound to its row: load or set the primary key`
    )
  }
  return { merchantId, subject, table: spec.model.table, column: spec.columnName, row: String(id) }
}

/* A new row's id, taken from its sequence now because the AAD binds it (see `encrypted`). */
async function allocateId(row: LucidRow) {
  const Model = row.constructor as LucidModel
  const attribute = Model.primaryKey
  if (row.$attributes[attribute] !== null && row.$attributes[attribute] !== undefined) return
  const client = row.$trx ?? db.connection(Model.connection)
  const result = await client.rawQuery('SELECT nextval(pg_get_serial_sequence(?, ?)) AS id', [
    Model.table,
    Model.$getColumn(attribute)!.columnName,
  ])
  const id = result.rows[0]?.id
  if (id === null || id === undefined) {
    throw new Error(`${Model.name} has no id sequence: set its primary key before saving`)
  }
  // bigserial comes back as a string; keep the attribute's usual type
  row.$attributes[attribute] = Number.isSafeInteger(Number(id)) ? Number(id) : id
}

/** The blind index a lookup should compare against, e.g. `where('email_bidx', await blindIndexOf(User, 'email', input, null))`. */
export async function blindIndexOf(
  model: LucidModel,
  attribute: string,
  value: string,
  merchantId: number | null
) {
  const spec = encryptedColumnsOf(model).find((c) => c.attribute === attribute)
  if (!spec?.blindIndex) throw new Error(`${model.name}.${attribute} has no blind index`)
  return blindIndex(
    spec.blindIndex.platformWide ? null : merchantId,
    spec.blindIndex.kind,
    value,
    attribute
  )
}

/* Plaintext of the columns sealed by the last save, restored afterwards so callers keep reading plaintext. */
const sealedOnSave = new WeakMap<LucidRow, Record<string, unknown>>()

async function sealRow(row: LucidRow) {
  const Model = row.constructor as LucidModel
  const specs = encryptedColumnsOf(Model)
  const dirty = row.$dirty
  // Moving a row to another merchant or subject changes every column's AAD: reseal them all
  const moved = specs.some(
    (s) => (s.merchant && s.merchant in dirty) || (s.subject && s.subject.attribute in dirty)
  )
  const plain: Record<string, unknown> = {}
  if (!row.$isPersisted) await allocateId(row)
  for (const spec of specs) {
    const value = row.$attributes[spec.attribute]
    if (!(spec.attribute in dirty) && !(moved && row.$isPersisted)) continue
    if (value === null || value === undefined) {
      if (spec.blindIndex) row.$attributes[spec.blindIndex.attribute] = null
      continue
    }
    const text = String(value)
    plain[spec.attribute] = value
    const ctx = fieldContext(spec, row)
    if (spec.blindIndex) {
      row.$attributes[spec.blindIndex.attribute] = await blindIndex(
        spec.blindIndex.platformWide ? null : ctx.merchantId,
        spec.blindIndex.kind,
        text,
        spec.attribute
      )
    }
    row.$attributes[spec.attribute] = await fieldCipher.seal(text, ctx)
  }
  sealedOnSave.set(row, plain)
}

function restorePlaintext(row: LucidRow) {
  const plain = sealedOnSave.get(row)
  if (!plain) return
  for (const [attribute, value] of Object.entries(plain)) {
    row.$attributes[attribute] = value
    row.$original[attribute] = value
  }
  sealedOnSave.delete(row)
}

async function openRow(row: LucidRow) {
  const Model = row.constructor as LucidModel
  for (const spec of encryptedColumnsOf(Model)) {
    const value = row.$attributes[spec.attribute]
    if (value === null || value === undefined) continue
    // Plaintext in a sealed column was written around the hooks: refuse it rather than pass it on
    if (!isSealed(value))
      throw new CiphertextInvalid(`${Model.table}.${spec.columnName} holds an unsealed value`)
    const plaintext = await fieldCipher.open(value, fieldContext(spec, row))
    row.$attributes[spec.attribute] = plaintext
    row.$original[spec.attribute] = plaintext
  }
}

function installHooks(model: LucidModel) {
  model.before('save', sealRow as any)
  model.after('save', restorePlaintext as any)
  model.after('find', openRow as any)
  model.after('fetch', (async (rows: LucidRow[]) => {
    for (const row of rows) await openRow(row)
  }) as any)
}

/** Declares an encrypted personal-data column (see EncryptedColumnOptions). */
export function encrypted(
  options: EncryptedColumnOptions = {},
  columnOptions: Partial<ColumnOptions> = {}
) {
  return function decorate(target: LucidRow, attribute: string) {
    const model = target.constructor as LucidModel
    column({
      ...columnOptions,
      prepare: (value: unknown) => {
        if (value !== null && value !== undefined && !isSealed(value)) {
          throw new PlaintextRefused(model.name, attribute)
        }
        return value
      },
    })(target, attribute)
    let specs = registry.get(model)
    if (!specs) {
      specs = []
      registry.set(model, specs)
      // After the class body is done, so the model's own beforeSave hooks (normalizing an
      // e-mail, say) run before sealing rather than on the ciphertext
      queueMicrotask(() => installHooks(model))
    }
    specs.push({
      ...options,
      model,
      attribute,
      columnName: model.$getColumn(attribute)!.columnName,
    })
  }
}

/**
 * Imports every `app/<module>/models/*` file through its `#<module>/models/*` alias, so the
 * registry lists all encrypted columns (rotation and inventories need the complete set).
 */
export async function loadEncryptedModels() {
  const root = app.makePath('app')
  const files = (await readdir(root, { recursive: true })) as string[]
  for (const file of files) {
    const parts = relative(root, join(root, file)).split(sep)
    if (
      parts.length !== 3 ||
      parts[1] !== 'models' ||
      !/\.(ts|js)$/.test(parts[2]) ||
      parts[2].endsWith('.d.ts')
    ) {
      continue
    }
    const specifier = `#${parts[0]}/models/${parts[2].replace(/\.(ts|js)$/, '')}`
    try {
      await import(specifier)
    } catch (error) {
      logger.warn(
        { model: specifier, err: { message: (error as Error).message } },
        'model not loaded'
      )
    }
  }
  return encryptedModels()
}

/** `table.column` of every column sealed by `@encrypted` (text `e1.` values), for schema checks. */
export async function sealedColumnNames() {
  await loadEncryptedModels()
  return new Set(
    encryptedModels().flatMap((model) =>
      encryptedColumnsOf(model).map((spec) => `${model.table}.${spec.columnName}`)
    )
  )
}
