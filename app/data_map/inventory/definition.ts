/*
 * The field inventory: every column of every table in the hub, classified.
 *
 * Format: each module owns `app/<module>/field_inventory.ts`, whose default export is
 * `defineFieldInventory({ module, tables })`. `collectFieldInventory()` finds those files, so a
 * module adding a table edits only its own file. For each table:
 *   - `personal`: columns holding personal data, each with its data-category code, whether it
 *     identifies the subject on its own, whether it is encrypted (it must be), how it is stored
 *     (`ciphertext` under `#keys`, or a `keyed_hash` blind index) and the category whose
 *     retention rule governs it;
 *   - `nonPersonal`: every other column, listed by name. Surrogate keys and foreign keys are
 *     references, not personal data: the data they point at is classified where it lives.
 *   - `retention` (optional): the purge job deletes rows whose `from` timestamp is older than
 *     the category's rule (or the merchant's stricter override, via `merchantColumn`).
 *   - `evidence` (optional): the rows record a privacy process; erasure keeps them, stripped.
 *   - `files` (optional): rows have files outside Postgres (under STORAGE_PATH); erasure removes
 *     the files of the rows it deletes, and the retention purge removes files whose row is gone
 *     (`removeOrphans`, for tables whose rows a purge or a cascade deletes).
 * The DSR locator (`#dsr/execution/locator`) reads this too: a table with `merchant_id` and
 * `customer_id` holds rows of a customer, and a `keyed_hash` column of a `customer.*` category
 * named `<identifier>_bidx` finds the customer by that identifier (phone, wa_id, bsuid,
 * instagram_id, email). A table mapped this way is located, exported and erased with no code.
 * `node ace datamap:check` compares all of this with `information_schema.columns`.
 */

export interface PersonalColumn {
  category: string
  identifiesSubject: boolean
  encrypted: boolean
  /** Defaults to `ciphertext` (bytea from `#keys`). */
  form?: 'ciphertext' | 'keyed_hash'
  /** Category code whose retention rule applies (usually the column's own category). */
  retention: string
}

export interface TableRetention {
  category: string
  /** Timestamp column the retention period counts from. */
  from: string
  /** Set when rows belong to one merchant, so that merchant's stricter override applies. */
  merchantColumn?: string
}

export interface StoredFiles {
  /** Removes the files of rows just deleted (the `DELETE … RETURNING *` rows). */
  remove(rows: Array<Record<string, any>>): Promise<void>
  /** Removes files whose row is gone, whatever deleted it (a purge, a cascade); how many. */
  removeOrphans?(): Promise<number>
}

export interface TableInventory {
  personal?: Record<string, PersonalColumn>
  nonPersonal: string[]
  retention?: TableRetention
  /**
   * Rows are the record of a privacy process (a DSR case, a legal hold, a government request)
   * and must outlive the person's data: erasure clears their personal columns and their link to
   * the customer (`customer_id`) instead of deleting them. Say which process, e.g. `dsr_case`.
   */
  evidence?: string
  files?: StoredFiles
}

export interface FieldInventory {
  module: string
  tables: Record<string, TableInventory>
}

export function defineFieldInventory(inventory: FieldInventory): FieldInventory {
  return inventory
}
