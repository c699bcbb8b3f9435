import vine from '@vinejs/vine'

/** Newline-separated textarea → trimmed list without blanks (security measures). */
export const lineList = () =>
  vine
    .string()
    .trim()
    .maxLength(4000)
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    )

/** A multi-select of ids; a single selected option arrives as a scalar. */
export const idList = () =>
  vine
    .array(vine.number().positive().withoutDecimals())
    .parse((value) =>
      value === undefined || value === null || Array.isArray(value) ? value : [value]
    )
    .optional()

export const optionalId = () =>
  vine
    .number()
    .positive()
    .withoutDecimals()
    .parse((value) => (value === '' ? undefined : value))
    .optional()

export const filterText = () => vine.string().trim().maxLength(120).optional()
