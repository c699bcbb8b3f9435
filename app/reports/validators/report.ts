import vine from '@vinejs/vine'
import { pageQuery } from '#core/pagination'
import { PERIOD_FORMAT } from '#reports/period'

const kind = vine.string().trim().maxLength(64)
const merchantSlug = vine.string().trim().maxLength(64)

export const reportListValidator = vine.compile(
  vine.object({
    kind: kind.clone().optional(),
    merchant: merchantSlug.clone().optional(),
    job: vine.string().trim().maxLength(64).optional(),
    ...pageQuery,
  })
)

export const generateReportValidator = vine.compile(
  vine.object({
    kind,
    merchant: merchantSlug.clone().optional(),
    period: vine.string().trim().regex(PERIOD_FORMAT).optional(),
    record: vine.string().trim().maxLength(32).optional(),
  })
)

export const verifyReportValidator = vine.compile(
  vine.object({
    report: vine.file({ size: '20mb', extnames: ['pdf'] }),
  })
)
