import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { pageQuery } from '#core/pagination'
import { SUBPROCESSOR_STATUSES, TRANSFER_MECHANISMS } from '#vendors/models/subprocessor'
import { checkbox, countryCode, countryList, textList } from '#core/validators/fields'
import { MIN_OBJECTION_WINDOW_DAYS } from '#merchants/models/merchant'

/** Dot-path data-category codes as the data map defines them, e.g. `customer.content.message`. */
const CATEGORY_CODE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/

export const subprocessorValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(200),
    legalEntity: vine.string().trim().maxLength(200).optional(),
    service: vine.string().trim().minLength(2).maxLength(200),
    purpose: vine.string().trim().minLength(5).maxLength(2000),
    dataCategories: textList(vine.string().trim().regex(CATEGORY_CODE)).minLength(1),
    processingCountries: countryList().minLength(1),
    transferMechanism: vine.enum(TRANSFER_MECHANISMS),
    dpaSignedOn: vine
      .date({ formats: ['YYYY-MM-DD'] })
      .beforeOrEqual('today')
      .optional(),
    website: vine.string().trim().url().maxLength(300).optional(),
    address: vine.string().trim().maxLength(500).optional(),
    privacyContact: vine.string().trim().maxLength(300).optional(),
    dpfCertificationEntry: vine.string().trim().maxLength(300).optional(),
    dpfCertifiedOn: vine
      .date({ formats: ['YYYY-MM-DD'] })
      .beforeOrEqual('today')
      .optional()
      .requiredIfExists('dpfCertificationEntry'),
    pdplLicenceReference: vine.string().trim().maxLength(200).optional(),
    pdplLicenceIssuedOn: vine
      .date({ formats: ['YYYY-MM-DD'] })
      .beforeOrEqual('today')
      .optional()
      .requiredIfExists('pdplLicenceReference'),
    aiProvider: checkbox(),
    aiTrainsOnCustomerData: checkbox(),
    aiAbuseLogRetentionDays: vine.number().min(0).max(3650).withoutDecimals().optional(),
    aiZeroDataRetention: checkbox(),
    aiNotes: vine.string().trim().maxLength(1000).optional(),
  })
)
export type SubprocessorInput = Infer<typeof subprocessorValidator>

export const subprocessorFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    status: vine.enum(SUBPROCESSOR_STATUSES).optional(),
    country: countryCode().optional(),
    mechanism: vine.enum(TRANSFER_MECHANISMS).optional(),
    q: vine.string().trim().maxLength(100).optional(),
  })
)
export type SubprocessorFilter = Infer<typeof subprocessorFilterValidator>

export const publicListValidator = vine.compile(vine.object({ ...pageQuery }))

/** The portal's notices: `window=open` lists those the merchant can still object to. */
export const portalNoticeFilterValidator = vine.compile(
  vine.object({ ...pageQuery, window: vine.enum(['open'] as const).optional() })
)

export const publishNoticeValidator = vine.compile(
  vine.object({
    summary: vine.string().trim().minLength(5).maxLength(2000).optional(),
    objectionWindowDays: vine
      .number()
      .min(MIN_OBJECTION_WINDOW_DAYS)
      .max(180)
      .withoutDecimals()
      .optional(),
  })
)
export type PublishNoticeInput = Infer<typeof publishNoticeValidator>

export const transitionValidator = vine.compile(
  vine.object({
    to: vine.enum(SUBPROCESSOR_STATUSES),
    summary: vine.string().trim().minLength(5).maxLength(2000).optional(),
    objectionWindowDays: vine
      .number()
      .min(MIN_OBJECTION_WINDOW_DAYS)
      .max(180)
      .withoutDecimals()
      .optional(),
  })
)
