import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { SIMPLE_CODE_PATTERN, SYSTEM_KINDS } from '#data_map/taxonomy'
import { countryCode, filterText, lineList, optionalId } from '#core/validators/fields'

export const systemValidator = vine.compile(
  vine.object({
    code: vine.string().trim().toLowerCase().maxLength(80).regex(SIMPLE_CODE_PATTERN),
    name: vine.string().trim().minLength(2).maxLength(160),
    kind: vine.enum(SYSTEM_KINDS),
    description: vine.string().trim().maxLength(2000).optional(),
    locationCountry: countryCode(),
    subprocessorId: optionalId(),
    securityMeasures: lineList(),
  })
)

export const systemFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    q: filterText(),
    kind: vine.enum(SYSTEM_KINDS).optional(),
    country: countryCode().optional(),
  })
)
