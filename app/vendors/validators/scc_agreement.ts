import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { countryCode } from '#core/validators/fields'

const party = {
  side: vine.enum(['exporter', 'importer'] as const),
  role: vine.enum(['controller', 'processor'] as const),
  name: vine.string().trim().minLength(2).maxLength(200),
  address: vine.string().trim().minLength(2).maxLength(300),
  countryCode: countryCode(),
  contact: vine.string().trim().minLength(2).maxLength(200),
  activities: vine.string().trim().minLength(2).maxLength(2000),
}

export const sccAgreementValidator = vine.compile(
  vine.object({
    reference: vine
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{3,64}$/),
    title: vine.string().trim().minLength(3).maxLength(200),
    module: vine.number().in([1, 2, 3, 4]),
    signedOn: vine.date({ formats: ['YYYY-MM-DD'] }).beforeOrEqual('today'),
    governingLawCountry: countryCode(),
    supervisoryAuthority: vine.string().trim().minLength(3).maxLength(300),
    transferFrequency: vine.string().trim().minLength(3).maxLength(200),
    processingNature: vine.string().trim().minLength(3).maxLength(4000),
    subprocessorId: vine.number().positive().withoutDecimals().optional(),
  })
)
export type SccAgreementInput = Infer<typeof sccAgreementValidator>

export const sccPartyValidator = vine.compile(
  vine.object({
    ...party,
    merchantId: vine.number().positive().withoutDecimals().optional(),
    subprocessorId: vine.number().positive().withoutDecimals().optional(),
    joinedOn: vine
      .date({ formats: ['YYYY-MM-DD'] })
      .beforeOrEqual('today')
      .optional(),
  })
)
export type SccPartyInput = Infer<typeof sccPartyValidator>

export const accessionValidator = vine.compile(
  vine.object({
    merchantId: vine.number().positive().withoutDecimals(),
    joinedOn: vine
      .date({ formats: ['YYYY-MM-DD'] })
      .beforeOrEqual('today')
      .optional(),
  })
)
