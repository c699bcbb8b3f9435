import vine from '@vinejs/vine'

export const TERMINATION_CHOICES = ['return', 'delete'] as const

/** A merchant ends its service: `return` (a full package first) or `delete`. */
export const terminationRequestValidator = vine.compile(
  vine.object({
    choice: vine.enum(TERMINATION_CHOICES),
  })
)
