import type { LucidModel } from '@adonisjs/lucid/types/model'
import { FieldInvalid } from '#core/errors'

/** Refuses a code another row already uses; the unique index catches the race behind this. */
export async function assertCodeFree(model: LucidModel, code: string, exceptId?: number) {
  const query = model.query().where('code', code)
  if (exceptId) query.whereNot('id', exceptId)
  if (await query.first()) {
    throw new FieldInvalid(
      'code',
      `The code "${code}" is already used. Codes must be unique.`,
      'data_map_code_taken'
    )
  }
}

/** A duplicate code (or code combination) that raced past `assertCodeFree`. */
export const UNIQUE_CODE = {
  field: 'code',
  message: 'This code (or combination) is already used.',
}
