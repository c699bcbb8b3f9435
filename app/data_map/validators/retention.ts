import vine from '@vinejs/vine'
import { RETENTION_STARTS } from '#data_map/taxonomy'

/* Zero and negative durations reach the service, which answers with one clear message. */
const days = () => vine.number().withoutDecimals().max(36500)

export const retentionRuleValidator = vine.compile(
  vine.object({
    durationDays: days(),
    startsFrom: vine.enum(RETENTION_STARTS),
    basis: vine.string().trim().maxLength(1000).optional(),
  })
)

export const retentionOverrideValidator = vine.compile(
  vine.object({
    merchantId: vine.number().positive().withoutDecimals(),
    dataCategoryId: vine.number().positive().withoutDecimals(),
    durationDays: days(),
    reason: vine.string().trim().maxLength(1000).optional(),
  })
)

/** A merchant's own instruction: the merchant comes from the principal, the category from the URL. */
export const merchantOverrideValidator = vine.compile(
  vine.object({
    durationDays: days(),
    reason: vine.string().trim().maxLength(1000).optional(),
  })
)
