import { BLIND_INDEX_KINDS, blindIndex, type BlindIndexKind } from '#keys/services/blind_index'
import { encryptedColumnsOf, loadEncryptedModels } from '#keys/encrypted_columns'

/** How a merchant names the person a request is about (the API body's `subject`). */
export interface SubjectIdentifiers {
  phone?: string | null
  wa_id?: string | null
  bsuid?: string | null
  instagram_id?: string | null
  email?: string | null
  /** The hub's opaque customer reference (`cus_…`). */
  customer_ref?: string | null
}

/** Identifiers that live behind blind indexes, in the order they are tried. */
export const INDEXED_IDENTIFIERS = ['phone', 'wa_id', 'bsuid', 'instagram_id', 'email'] as const
export type IndexedIdentifier = (typeof INDEXED_IDENTIFIERS)[number]

function defaultKind(identifier: IndexedIdentifier): BlindIndexKind {
  if ((BLIND_INDEX_KINDS as readonly string[]).includes(identifier)) {
    return identifier as BlindIndexKind
  }
  // A BSUID is normalised like a WhatsApp id (`US.1349…` keeps its form)
  return 'wa_id'
}

/** The identifier a blind-index column holds, by the `<identifier>_bidx` naming rule. */
export function identifierOfColumn(column: string): IndexedIdentifier | null {
  const match = [...INDEXED_IDENTIFIERS]
    .sort((a, b) => b.length - a.length)
    .find((identifier) => column === `${identifier}_bidx` || column.endsWith(`_${identifier}_bidx`))
  return match ?? null
}

/**
 * The blind-index kind a table's column uses: what its model declares (`@encrypted` with
 * `blindIndex`), else the identifier's own kind.
 */
let declaredKinds: Promise<Map<string, BlindIndexKind>> | null = null

/* `table.column` -> kind of every blind index the models declare (models are fixed at boot). */
function declared() {
  declaredKinds ??= loadEncryptedModels().then((models) => {
    const kinds = new Map<string, BlindIndexKind>()
    for (const model of models) {
      for (const spec of encryptedColumnsOf(model)) {
        if (!spec.blindIndex) continue
        const column = model.$getColumn(spec.blindIndex.attribute)?.columnName
        if (column) kinds.set(`${model.table}.${column}`, spec.blindIndex.kind)
      }
    }
    return kinds
  })
  return declaredKinds
}

export async function indexKindOf(
  table: string,
  column: string,
  identifier: IndexedIdentifier
): Promise<BlindIndexKind> {
  const kinds = await declared()
  return kinds.get(`${table}.${column}`) ?? defaultKind(identifier)
}

/** Given identifiers, trimmed, without empty values. */
export function presentIdentifiers(identifiers: SubjectIdentifiers) {
  const present: Partial<Record<IndexedIdentifier | 'customer_ref', string>> = {}
  for (const key of [...INDEXED_IDENTIFIERS, 'customer_ref'] as const) {
    const value = identifiers[key]
    if (typeof value === 'string' && value.trim()) present[key] = value.trim()
  }
  return present
}

/**
 * The blind indexes to look for, per identifier column kind. Malformed values are refused with
 * the identifier's field name (`subject.phone`), so the API answers 422 and nothing runs.
 * A phone number is also a WhatsApp id (its digits), so `phone` searches `wa_id` columns too.
 */
export class SubjectIndexes {
  #cache = new Map<string, Promise<string>>()

  constructor(
    private readonly merchantId: number,
    private readonly identifiers: SubjectIdentifiers
  ) {}

  /** Validates every identifier now (before anything is looked up). */
  async validate() {
    const present = presentIdentifiers(this.identifiers)
    for (const identifier of INDEXED_IDENTIFIERS) {
      const value = present[identifier]
      if (value) await this.hash(defaultKind(identifier), value, `subject.${identifier}`)
    }
  }

  private hash(kind: BlindIndexKind, value: string, field: string) {
    const id = `${kind}\n${value}`
    let found = this.#cache.get(id)
    if (!found) {
      found = blindIndex(this.merchantId, kind, value, field)
      this.#cache.set(id, found)
    }
    return found
  }

  /** Blind indexes that a column of `kind` holding `identifier` may equal for this subject. */
  async valuesFor(identifier: IndexedIdentifier, kind: BlindIndexKind): Promise<string[]> {
    const present = presentIdentifiers(this.identifiers)
    const values: string[] = []
    const own = present[identifier]
    if (own) values.push(await this.hash(kind, own, `subject.${identifier}`))
    if (identifier === 'wa_id' && present.phone) {
      const digits = present.phone.replace(/\D/g, '')
      if (digits.length >= 7) values.push(await this.hash(kind, digits, 'subject.phone'))
    }
    return [...new Set(values)]
  }
}
