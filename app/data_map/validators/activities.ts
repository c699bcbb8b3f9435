import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { SIMPLE_CODE_PATTERN } from '#data_map/taxonomy'
import { filterText, idList, lineList, optionalId } from '#core/validators/fields'

export const activityValidator = vine.compile(
  vine.object({
    code: vine.string().trim().toLowerCase().maxLength(80).regex(SIMPLE_CODE_PATTERN),
    name: vine.string().trim().minLength(2).maxLength(160),
    description: vine.string().trim().maxLength(4000).optional(),
    merchantId: optionalId(),
    purposeId: vine.number().positive().withoutDecimals(),
    // Not `.positive()`: zero and below get the service's retention message, same as the API
    retentionDays: vine.number().withoutDecimals().max(36500),
    retentionNote: vine.string().trim().maxLength(1000).optional(),
    securityMeasures: lineList(),
    status: vine.enum(['active', 'retired'] as const).optional(),
    categoryIds: idList(),
    subjectIds: idList(),
    systemIds: idList(),
  })
)

export const activityFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    q: filterText(),
    purposeId: optionalId(),
    merchantId: optionalId(),
    status: vine.enum(['active', 'retired'] as const).optional(),
  })
)
