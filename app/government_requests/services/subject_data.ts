import type { DateTime } from 'luxon'
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import {
  encryptedColumnsOf,
  migratedEncryptedModels,
  type EncryptedColumn,
} from '#keys/encrypted_columns'
import { blindIndex, type BlindIndexKind } from '#keys/services/blind_index'
import { collectFieldInventory } from '#data_map/inventory/collector'
import type { ScopeIdentifier } from '#government_requests/policy'

/** The data subjects the disclosure builder reads: the merchants' customers (`customer:<id>`). */
export const SUBJECT_KIND = 'customer'

export interface SubjectFields {
  /** The customer records the identifier matched (their ids). */
  subjects: number[]
  /** Category code -> the values found, oldest first; only the categories asked for. */
  fields: Record<string, unknown[]>
}

interface Source {
  model: LucidModel
  /** Attribute naming the subject: `id` on the subject's own table, else e.g. `customerId`. */
  subjectAttribute: string
  merchantAttribute: string
  /** Attribute -> category, for the sealed columns of the categories asked. */
  columns: Array<{ attribute: string; category: string }>
}

/**
 * Reads one subject's fields through the field inventory and the sealed-column declarations:
 * every table whose inventory lists a column of an asked category, sealed under the subject's
 * key, contributes. No table list is hard-coded, so a module that adds customer data is covered
 * by listing it in its inventory. Values open only through the models' own hooks.
 */
export class SubjectData {
  /** The customer records an identifier names at one merchant (blind index or reference). */
  async resolve(merchantId: number, identifier: ScopeIdentifier): Promise<number[]> {
    const models = await migratedEncryptedModels()
    const subjectModels = models.filter((model) =>
      encryptedColumnsOf(model).some(
        (c) => c.subject?.kind === SUBJECT_KIND && c.subject.attribute === model.primaryKey
      )
    )
    const ids = new Set<number>()
    for (const model of subjectModels) {
      const merchantColumn = this.columnOf(model, encryptedColumnsOf(model)[0].merchant)
      const query = model.query().where(merchantColumn, merchantId).select(model.primaryKey)
      if (identifier.kind === 'customer_reference') {
        if (!model.$hasColumn('reference')) continue
        query.where('reference', identifier.value)
      } else {
        const indexed = encryptedColumnsOf(model).filter(
          (c) => c.blindIndex?.kind === (identifier.kind as BlindIndexKind)
        )
        if (!indexed.length) continue
        const hash = await blindIndex(
          merchantId,
          identifier.kind as BlindIndexKind,
          identifier.value
        )
        query.where((q) => {
          for (const column of indexed) {
            q.orWhere(this.columnOf(model, column.blindIndex!.attribute), hash)
          }
        })
      }
      // Only ids are selected, so no sealed column is opened here
      const rows = await query.pojo<Record<string, number>>()
      for (const row of rows) ids.add(Number(Object.values(row)[0]))
    }
    return [...ids].sort((a, b) => a - b)
  }

  /** The values of `categories` about these subjects at one merchant, within the date range. */
  async read(
    merchantId: number,
    subjects: number[],
    categories: string[],
    range: { from: DateTime | null; to: DateTime | null }
  ): Promise<Record<string, unknown[]>> {
    const fields: Record<string, unknown[]> = Object.fromEntries(categories.map((c) => [c, []]))
    if (!subjects.length) return fields
    for (const source of await this.sources(categories)) {
      const { model } = source
      const query = model
        .query()
        .where(this.columnOf(model, source.merchantAttribute), merchantId)
        .whereIn(this.columnOf(model, source.subjectAttribute), subjects)
        .orderBy(model.primaryKey)
      // The subject's own record is not dated; events inside it are, and follow the range
      if (source.subjectAttribute !== model.primaryKey && model.$hasColumn('createdAt')) {
        if (range.from) query.where('created_at', '>=', range.from.toISODate()!)
        if (range.to) query.where('created_at', '<', range.to.plus({ days: 1 }).toISODate()!)
      }
      const rows = (await query) as LucidRow[]
      for (const row of rows) {
        for (const { attribute, category } of source.columns) {
          const value = (row as unknown as Record<string, unknown>)[attribute]
          if (value !== null && value !== undefined && value !== '') fields[category].push(value)
        }
      }
    }
    return fields
  }

  /** Tables holding the categories, sealed per customer, from the inventory and the models. */
  private async sources(categories: string[]): Promise<Source[]> {
    const inventory = await collectFieldInventory()
    const models = await migratedEncryptedModels()
    const sources: Source[] = []
    for (const table of inventory) {
      const wanted = Object.entries(table.personal ?? {}).filter(
        ([, spec]) => categories.includes(spec.category) && spec.form !== 'keyed_hash'
      )
      if (!wanted.length) continue
      const model = models.find((m) => m.table === table.table)
      if (!model) continue
      const sealed = encryptedColumnsOf(model)
      const columns = wanted
        .map(([columnName, spec]) => ({
          spec: sealed.find((c) => c.columnName === columnName),
          category: spec.category,
        }))
        .filter(
          (c): c is { spec: EncryptedColumn; category: string } =>
            c.spec?.subject?.kind === SUBJECT_KIND
        )
      if (!columns.length) continue
      const first = columns[0].spec
      sources.push({
        model,
        subjectAttribute: first.subject!.attribute,
        merchantAttribute: first.merchant!,
        columns: columns.map((c) => ({ attribute: c.spec.attribute, category: c.category })),
      })
    }
    return sources
  }

  private columnOf(model: LucidModel, attribute: string | undefined) {
    const column = attribute ? model.$getColumn(attribute) : undefined
    if (!column) throw new Error(`${model.name} has no column for ${attribute}`)
    return column.columnName
  }
}

const subjectData = new SubjectData()
export default subjectData
