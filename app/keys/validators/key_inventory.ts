import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'

/** Filters of the key inventory; all optional, combined with AND. */
export const keyInventoryFilterValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(100).optional(),
    state: vine.enum(['enabled', 'pending_deletion', 'destroyed'] as const).optional(),
    provider: vine.enum(['local', 'aws'] as const).optional(),
    ...pageQuery,
  })
)

/** The rotate button names the scope: `platform` or `merchant:<id>`. */
export const rotateScopeValidator = vine.compile(
  vine.object({
    scope: vine
      .string()
      .trim()
      .regex(/^(platform|merchant:[1-9]\d{0,9})$/),
  })
)
