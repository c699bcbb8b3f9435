import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { SIMPLE_CODE_PATTERN, SYSTEM_KINDS } from '#data_map/taxonomy'
import { filterText, lineList, optionalId } from '#data_map/validators/shared'

export const systemValidator = vine.compile(
  vine.object({
    code: vine.string().trim().toLowerCase().maxLength(80).regex(SIMPLE_CODE_PATTERN),
    name: vine.string().trim().minLength(2).maxLength(160),
    kind: vine.enum(SYSTEM_KINDS),
    description: vine.string().trim().maxLength(2000).optional(),
    // Checked against the ISO list in the service, with a message naming the bad code
    locationCountry: vine.string().trim().toUpperCase().maxLength(8),
    subprocessorId: optionalId(),
    securityMeasures: lineList(),
  })
)

export const systemFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    q: filterText(),
    kind: vine.enum(SYSTEM_KINDS).optional(),
    country: vine.string().trim().toUpperCase().fixedLength(2).optional(),
  })
)
