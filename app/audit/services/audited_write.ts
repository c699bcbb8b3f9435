import db from '@adonisjs/lucid/services/db'
import type { LucidRow } from '@adonisjs/lucid/types/model'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { FieldInvalid } from '#core/errors'
import auditTrail, { type AuditEntry } from '#audit/services/audit_trail'

function isUniqueViolation(error: unknown) {
  return (error as { code?: string }).code === '23505'
}

/**
 * The one way a module changes data: `work` runs in a transaction and its audit event is
 * appended in the same transaction, so the change and its record commit together or not at
 * all. The entry may be built from the work's result (e.g. the new row's id); built so, it may
 * be `null` when the work found nothing to change, and then nothing is recorded. The actor is
 * the request's principal unless the entry names one (`currentActor()`).
 */
export async function auditedWrite<T>(
  work: (trx: TransactionClientContract) => Promise<T>,
  entry: AuditEntry | ((result: T) => AuditEntry | null)
): Promise<T> {
  return db.transaction(async (trx) => {
    const result = await work(trx)
    const event = typeof entry === 'function' ? entry(result) : entry
    if (event) await auditTrail.record(event, trx)
    return result
  })
}

export interface SaveAuditedOptions {
  /** Runs inside the transaction after the save (pivot syncs, child rows). */
  extra?: (trx: TransactionClientContract) => Promise<void>
  /**
   * The form field a unique index guards, and what to say: a duplicate that slipped past the
   * service's own check (a race) is answered as a field error there, not as a 500.
   */
  unique?: { field: string; message: string }
}

/** `auditedWrite` for the common case: save one row; the event's target is that row. */
export async function saveAudited<Row extends LucidRow & { id: number }>(
  row: Row,
  audit: Omit<AuditEntry, 'target'> & { targetType: string },
  options: SaveAuditedOptions = {}
): Promise<Row> {
  const { targetType, ...entry } = audit
  try {
    return await auditedWrite(
      async (trx) => {
        row.useTransaction(trx)
        await row.save()
        if (options.extra) await options.extra(trx)
        return row
      },
      () => ({ ...entry, target: { type: targetType, id: row.id } })
    )
  } catch (error) {
    if (options.unique && isUniqueViolation(error)) {
      throw new FieldInvalid(options.unique.field, options.unique.message, 'audit_already_recorded')
    }
    throw error
  }
}
