import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { FLOW_MECHANISMS } from '#data_map/taxonomy'
import { countryCode, filterText, idList, optionalId } from '#core/validators/fields'

export const flowValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(160),
    systemId: vine.number().positive().withoutDecimals(),
    subprocessorId: vine.number().positive().withoutDecimals(),
    destinationCountry: countryCode(),
    transferMechanism: vine.enum(FLOW_MECHANISMS),
    description: vine.string().trim().maxLength(2000).optional(),
    categoryIds: idList(),
  })
)

export const flowFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    q: filterText(),
    country: countryCode().optional(),
    mechanism: vine.enum(FLOW_MECHANISMS).optional(),
    systemId: optionalId(),
  })
)
