import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { SENSITIVITIES, SIMPLE_CODE_PATTERN } from '#data_map/taxonomy'
import { checkbox, filterText } from '#core/validators/fields'

const code = () => vine.string().trim().toLowerCase().maxLength(120)
const text = (max: number) => vine.string().trim().maxLength(max)

/* The dot-path shape is checked in the service, so seeds and API get the same message. */
export const categoryValidator = vine.compile(
  vine.object({
    code: code(),
    name: text(160).minLength(2),
    description: text(2000).optional(),
    sensitivity: vine.enum(SENSITIVITIES),
    specialCategory: checkbox(),
  })
)

export const subjectValidator = vine.compile(
  vine.object({
    code: code().regex(SIMPLE_CODE_PATTERN),
    name: text(160).minLength(2),
    description: text(2000).optional(),
  })
)

export const purposeValidator = vine.compile(
  vine.object({
    code: code().regex(SIMPLE_CODE_PATTERN),
    name: text(160).minLength(2),
    description: text(2000).optional(),
    status: vine.enum(['allowed', 'prohibited'] as const),
  })
)

export const categoryFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    q: filterText(),
    sensitivity: vine.enum(SENSITIVITIES).optional(),
    special: vine.enum(['yes', 'no'] as const).optional(),
  })
)

export const simpleFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    q: filterText(),
    status: vine.enum(['allowed', 'prohibited'] as const).optional(),
  })
)
