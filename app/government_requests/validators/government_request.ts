import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { pageQuery } from '#core/pagination'
import { checkbox, countryCode, idList, textList } from '#core/validators/fields'
import {
  ANSWERS,
  AUTHORITY_TYPES,
  CHALLENGE_RESULTS,
  DEADLINE_RULES,
  INSTRUMENT_TYPES,
  OUTCOMES,
} from '#government_requests/policy'

/** A moment as the console's `datetime-local` sends it (Cairo time) or ISO 8601 with an offset. */
const moment = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/)

const day = () => vine.date({ formats: ['YYYY-MM-DD'] })

const requestFields = {
  authorityName: vine.string().trim().minLength(2).maxLength(300),
  authorityCountry: countryCode(),
  authorityType: vine.enum(AUTHORITY_TYPES),
  authorityContact: vine.string().trim().maxLength(500).optional(),
  contactVerification: vine.string().trim().maxLength(1000).optional(),
  contactVerified: checkbox(),
  instrumentType: vine.enum(INSTRUMENT_TYPES),
  instrumentReference: vine.string().trim().maxLength(200).optional(),
  legalBasis: vine.string().trim().minLength(3).maxLength(4000),
  receivedAt: moment(),
  deadlineRule: vine.enum(DEADLINE_RULES),
  customDueAt: moment().optional(),
  /** One identifier per line (or repeated values): `+20…`, an e-mail, `cus_…`, `wa:…`, `ig:…`. */
  identifiers: textList(vine.string().trim().maxLength(200)).optional(),
  merchantIds: idList().optional(),
  categories: textList(vine.string().trim().maxLength(120)).optional(),
  scopeFrom: day().optional(),
  scopeTo: day().afterOrSameAs('scopeFrom').optional(),
  gagOrder: checkbox(),
  gagUntil: day().optional(),
  ownConduct: checkbox(),
  preserveUntil: day().optional(),
  document: vine
    .file({ size: '20mb', extnames: ['pdf', 'png', 'jpg', 'jpeg', 'tif', 'tiff', 'txt'] })
    .optional(),
}

export const intakeValidator = vine.compile(vine.object(requestFields))
export type IntakeInput = Infer<typeof intakeValidator>

export const instrumentValidator = vine.compile(
  vine.object({
    document: vine.file({
      size: '20mb',
      extnames: ['pdf', 'png', 'jpg', 'jpeg', 'tif', 'tiff', 'txt'],
    }),
  })
)

const checklistAnswer = () =>
  vine
    .object({
      answer: vine.enum(ANSWERS).optional(),
      reasoning: vine.string().trim().maxLength(4000).optional(),
    })
    .optional()

/** The checklist: for each item an answer and its reasoning; a draft may leave items open. */
export const assessmentValidator = vine.compile(
  vine.object({
    written: checklistAnswer(),
    competent_authority: checklistAnswer(),
    legal_basis: checklistAnswer(),
    jurisdiction: checklistAnswer(),
    proportionate: checklistAnswer(),
    notification: checklistAnswer(),
  })
)
export type AssessmentInput = Infer<typeof assessmentValidator>

export const decisionValidator = vine.compile(
  vine.object({
    outcome: vine.enum(OUTCOMES),
    reasons: vine.string().trim().minLength(10).maxLength(8000),
    /** For narrow/comply: the identifiers (their positions in the request's list) approved. */
    identifierIndexes: vine
      .array(vine.number().min(0).withoutDecimals())
      .parse((value) => (value === undefined || value === null ? [] : [value].flat()))
      .optional(),
    merchantIds: idList().optional(),
    categories: textList(vine.string().trim().maxLength(120)).optional(),
  })
)
export type DecisionInput = Infer<typeof decisionValidator>

export const challengeResultValidator = vine.compile(
  vine.object({ result: vine.enum(CHALLENGE_RESULTS.filter((r) => r !== 'pending')) })
)

/**
 * The fields picked for a package. The API sends `items: [{ identifier, merchantId, categories }]`;
 * the console's checkboxes send `fields[]` as `<identifier>:<merchant id>:<category>`.
 */
export const disclosureValidator = vine.compile(
  vine.object({
    items: vine
      .array(
        vine.object({
          identifier: vine.number().min(0).withoutDecimals(),
          merchantId: vine.number().positive().withoutDecimals(),
          categories: vine.array(vine.string().trim().maxLength(120)).minLength(1),
        })
      )
      .optional(),
    fields: textList(
      vine
        .string()
        .trim()
        .regex(/^\d+:\d+:[a-z][a-z0-9_.]*$/)
    ).optional(),
    recipient: vine.string().trim().maxLength(300).optional(),
  })
)
export type DisclosureInput = Infer<typeof disclosureValidator>

export const requestFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    status: vine.enum([...['any', 'open', 'overdue'], ...OUTCOMES] as const).optional(),
    instrumentType: vine.enum(INSTRUMENT_TYPES).optional(),
    country: countryCode().optional(),
    q: vine.string().trim().maxLength(120).optional(),
  })
)
export type RequestFilter = Infer<typeof requestFilterValidator>

export const transparencyValidator = vine.compile(
  vine.object({
    period: vine
      .string()
      .trim()
      .regex(/^\d{4}-?H[12]$/),
  })
)
