import vine from '@vinejs/vine'

/** `?merchant=<id>` narrows the record to one controller. */
export const ropaQueryValidator = vine.compile(
  vine.object({
    merchant: vine.number().positive().withoutDecimals().optional(),
  })
)
