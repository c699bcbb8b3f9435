import db from '@adonisjs/lucid/services/db'
import { blindIndex, type BlindIndexKind } from '#keys/services/blind_index'
import type { SubjectIdentifier, SubjectIdentifiers } from '#dsr/models/dsr_case'

/** Which customers column (and blind-index kind) each request identifier is matched against. */
const INDEXED: Partial<Record<SubjectIdentifier, { column: string; kind: BlindIndexKind }>> = {
  phone: { column: 'phone_bidx', kind: 'phone' },
  wa_id: { column: 'wa_id_bidx', kind: 'wa_id' },
  bsuid: { column: 'bsuid_bidx', kind: 'wa_id' },
  instagram_id: { column: 'instagram_id_bidx', kind: 'instagram_id' },
  email: { column: 'email_bidx', kind: 'email' },
}

/**
 * The merchant's customers that any of the request's identifiers names, by blind index (or the
 * opaque customer reference), without decrypting anything. More than one means the identity is
 * ambiguous and staff must decide.
 */
export async function matchCustomers(merchantId: number, identifiers: SubjectIdentifiers) {
  const clauses: { column: string; value: string }[] = []
  for (const [name, value] of Object.entries(identifiers) as [SubjectIdentifier, string][]) {
    if (!value) continue
    const indexed = INDEXED[name]
    if (indexed) {
      clauses.push({
        column: indexed.column,
        value: await blindIndex(merchantId, indexed.kind, value),
      })
    } else if (name === 'customer_ref') {
      clauses.push({ column: 'reference', value })
    }
  }
  if (clauses.length === 0) return []
  const rows = await db
    .from('customers')
    .where('merchant_id', merchantId)
    .where((q) => {
      for (const clause of clauses) q.orWhere(clause.column, clause.value)
    })
    .select('id')
    .orderBy('id')
  return rows.map((row) => Number(row.id))
}
