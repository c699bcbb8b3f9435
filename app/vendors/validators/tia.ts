import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { pageQuery } from '#core/pagination'
import { RISK_RATINGS, SUPPLEMENTARY_MEASURES } from '#vendors/models/transfer_impact_assessment'
import { choiceList, countryCode } from '#core/validators/fields'

const step = () => vine.string().trim().minLength(10).maxLength(8000)

export const tiaValidator = vine.compile(
  vine.object({
    countryCode: countryCode(),
    title: vine.string().trim().minLength(3).maxLength(200),
    step1Transfers: step(),
    step2Tool: step(),
    step3Assessment: step(),
    step4Measures: step(),
    step5Procedural: step(),
    step6Reevaluation: step(),
    riskRating: vine.enum(RISK_RATINGS),
    supplementaryMeasures: choiceList(
      Object.keys(SUPPLEMENTARY_MEASURES) as (keyof typeof SUPPLEMENTARY_MEASURES)[]
    ),
    reviewedOn: vine.date({ formats: ['YYYY-MM-DD'] }).beforeOrEqual('today'),
    nextReviewOn: vine.date({ formats: ['YYYY-MM-DD'] }).afterField('reviewedOn'),
  })
)
export type TiaInput = Infer<typeof tiaValidator>

/*
 * What the form saves: a draft needs only its destination and title; the steps, risk and dates
 * may wait. Approval checks the whole assessment against `tiaValidator`.
 */
const draftStep = () => vine.string().trim().maxLength(8000).optional()
export const tiaDraftValidator = vine.compile(
  vine.object({
    countryCode: countryCode(),
    title: vine.string().trim().minLength(3).maxLength(200),
    step1Transfers: draftStep(),
    step2Tool: draftStep(),
    step3Assessment: draftStep(),
    step4Measures: draftStep(),
    step5Procedural: draftStep(),
    step6Reevaluation: draftStep(),
    riskRating: vine.enum(RISK_RATINGS).optional(),
    supplementaryMeasures: choiceList(
      Object.keys(SUPPLEMENTARY_MEASURES) as (keyof typeof SUPPLEMENTARY_MEASURES)[]
    ),
    reviewedOn: vine
      .date({ formats: ['YYYY-MM-DD'] })
      .beforeOrEqual('today')
      .optional(),
    nextReviewOn: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
  })
)
export type TiaDraftInput = Infer<typeof tiaDraftValidator>

export const tiaFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    country: countryCode().optional(),
    dueState: vine.enum(['ok', 'due_soon', 'overdue'] as const).optional(),
  })
)
