import db from '@adonisjs/lucid/services/db'
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { FieldInvalid } from '#core/errors'
import auditTrail from '#audit/services/audit_trail'

/** Refuses a code another row already uses; the unique index catches the race behind this. */
export async function assertCodeFree(model: LucidModel, code: string, exceptId?: number) {
  const query = model.query().where('code', code)
  if (exceptId) query.whereNot('id', exceptId)
  if (await query.first()) {
    throw new FieldInvalid(
      'code',
      `The code "${code}" is already used. Codes must be unique.`,
      'unique'
    )
  }
}

function isUniqueViolation(error: unknown) {
  return (error as { code?: string }).code === '23505'
}

/**
 * Saves a data-map row and its audit event in one transaction. `extra` runs inside it (pivot
 * syncs); a unique violation that slipped past the pre-check still becomes a field error.
 */
export async function saveAudited<Row extends LucidRow & { id: number }>(
  row: Row,
  audit: {
    action: string
    targetType: string
    merchantId?: number | null
    meta?: Record<string, unknown>
  },
  extra?: (trx: TransactionClientContract) => Promise<void>
) {
  try {
    await db.transaction(async (trx) => {
      row.useTransaction(trx)
      await row.save()
      if (extra) await extra(trx)
      await auditTrail.record(
        {
          action: audit.action,
          merchantId: audit.merchantId ?? null,
          target: { type: audit.targetType, id: row.id },
          meta: audit.meta,
        },
        trx
      )
    })
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new FieldInvalid('code', 'This code (or combination) is already used.', 'unique')
    }
    throw error
  }
  return row
}
