import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import type { Infer } from '@vinejs/vine/types'
import { pageQuery } from '#core/pagination'
import { checkbox, filterText, isoDay, optionalId } from '#core/validators/fields'
import { normalizeIdentifier, type BlindIndexKind } from '#keys/services/blind_index'
import { FieldInvalid } from '#core/errors'
import {
  DSR_STATUSES,
  DSR_TYPES,
  RECTIFIABLE_FIELDS,
  REFUSAL_CODES,
  SUBJECT_IDENTIFIERS,
  type DsrType,
  type RectifiableField,
  type SubjectIdentifiers,
} from '#dsr/models/dsr_case'

/* An identifier in its canonical form (E.164 phone, lower-cased e-mail…), or the field's error. */
const identifierRule = vine.createRule(
  (value: unknown, kind: BlindIndexKind, field: FieldContext) => {
    if (typeof value !== 'string') return
    try {
      field.mutate(normalizeIdentifier(kind, value, field.name as string), field)
    } catch (error) {
      if (!(error instanceof FieldInvalid)) throw error
      field.report(error.message, kind, field)
    }
  }
)

/* Only the identifiers the API knows: an unknown key is a mistake, never silently dropped. */
const knownKeysRule = vine.createRule(
  (value: unknown, known: readonly string[], field: FieldContext) => {
    if (!value || typeof value !== 'object') return
    const keys = Object.keys(value)
    const unknown = keys.filter((key) => !known.includes(key))
    if (unknown.length) {
      field.report(
        `Unknown identifier: ${unknown.join(', ')}. Use ${known.join(', ')}.`,
        'known_keys',
        field
      )
    } else if (
      keys.filter((key) => (value as Record<string, unknown>)[key] !== null).length === 0
    ) {
      field.report('Give at least one identifier of the person.', 'required_one', field)
    }
  }
)

const identifier = (kind: BlindIndexKind) =>
  vine.string().trim().maxLength(200).use(identifierRule(kind)).optional()

export const subjectSchema = vine
  .object({
    phone: identifier('phone'),
    wa_id: identifier('wa_id'),
    bsuid: identifier('wa_id'),
    instagram_id: identifier('instagram_id'),
    email: identifier('email'),
    customer_ref: vine
      .string()
      .trim()
      .regex(/^[\w-]{1,64}$/)
      .optional(),
  })
  .allowUnknownProperties()
  .use(knownKeysRule(SUBJECT_IDENTIFIERS))

const rectificationSchema = vine
  .object({
    display_name: vine.string().trim().minLength(1).maxLength(200).optional(),
    email: identifier('email'),
    phone: identifier('phone'),
  })
  .allowUnknownProperties()
  .use(knownKeysRule(RECTIFIABLE_FIELDS))

/** `POST /api/v1/dsr`, exactly the body the issue defines. */
export const createDsrValidator = vine.compile(
  vine.object({
    type: vine.enum(DSR_TYPES),
    subject: subjectSchema,
    received_at: isoDay(),
    identity_verified: vine.literal(true),
    rectification: rectificationSchema.optional(),
    notes: vine.string().trim().maxLength(4000).optional(),
  })
)
export type CreateDsrPayload = Infer<typeof createDsrValidator>

/** RFC draft `Idempotency-Key`: an opaque client string. */
export const dsrIdempotencyValidator = vine.compile(
  vine.object({
    idempotencyKey: vine
      .string()
      .trim()
      .regex(/^[\x21-\x7e]{1,128}$/)
      .optional(),
  })
)

export const exportFormatValidator = vine.compile(
  vine.object({ format: vine.enum(['json', 'csv'] as const).optional() })
)

export const dsrListValidator = vine.compile(
  vine.object({
    ...pageQuery,
    status: vine.enum(DSR_STATUSES).optional(),
    type: vine.enum(DSR_TYPES).optional(),
  })
)

/** The console's case list. */
export const caseFilterValidator = vine.compile(
  vine.object({
    ...pageQuery,
    status: vine.enum(['any', 'open', ...DSR_STATUSES] as const).optional(),
    type: vine.enum(DSR_TYPES).optional(),
    merchantId: optionalId(),
    due: vine.enum(['due_soon', 'overdue'] as const).optional(),
    q: filterText(),
  })
)
export type CaseFilter = Infer<typeof caseFilterValidator>

export const extensionValidator = vine.compile(
  vine.object({
    months: vine.number().withoutDecimals().in([1, 2]),
    reason: vine.string().trim().minLength(10).maxLength(2000),
  })
)

export const refusalValidator = vine.compile(
  vine.object({
    code: vine.enum(REFUSAL_CODES),
    text: vine.string().trim().maxLength(4000).optional().requiredWhen('code', '=', 'other'),
  })
)

export const cancelValidator = vine.compile(
  vine.object({ reason: vine.string().trim().minLength(3).maxLength(2000) })
)

export const assignValidator = vine.compile(vine.object({ assigneeUserId: optionalId() }))

export const commentValidator = vine.compile(
  vine.object({ body: vine.string().trim().minLength(1).maxLength(4000) })
)

export const taskValidator = vine.compile(
  vine.object({
    title: vine.string().trim().minLength(3).maxLength(200),
    dueOn: isoDay().optional(),
    assigneeUserId: optionalId(),
  })
)

/** Staff resolve what a case waits for: the customer it is about when identity was ambiguous. */
export const proceedValidator = vine.compile(vine.object({ customerId: optionalId() }))

/** The merchant's instruction on a customer-initiated request (awaiting merchant). */
export const instructValidator = vine.compile(
  vine.object({
    type: vine.enum(DSR_TYPES).optional(),
    identity_verified: vine.literal(true),
  })
)

/** The portal's instruction form: the attestation is a checkbox. */
export const instructFormValidator = vine.compile(
  vine.object({
    type: vine.enum(DSR_TYPES).optional(),
    identity_verified: vine.accepted(),
  })
)

/**
 * The portal's and console's intake form: one input per field, named as the API names them
 * (the corrected values flat, `rect_<field>`), turned into the API's shape by `intakeFromForm`
 * so both channels meet the same service rules.
 */
export const intakeFormValidator = vine.compile(
  vine.object({
    merchant_id: optionalId(),
    type: vine.enum(DSR_TYPES),
    channel: vine.enum(['merchant', 'privacy_email'] as const).optional(),
    phone: identifier('phone'),
    wa_id: identifier('wa_id'),
    bsuid: identifier('wa_id'),
    instagram_id: identifier('instagram_id'),
    email: identifier('email'),
    customer_ref: vine
      .string()
      .trim()
      .regex(/^[\w-]{1,64}$/)
      .optional(),
    received_at: isoDay(),
    identity_verified: checkbox(),
    rect_display_name: vine.string().trim().maxLength(200).optional(),
    rect_email: identifier('email'),
    rect_phone: identifier('phone'),
    notes: vine.string().trim().maxLength(4000).optional(),
  })
)
export type IntakeFormPayload = Infer<typeof intakeFormValidator>

/** What the intake service takes, whichever channel the request came by. */
export interface IntakeRequest {
  type: DsrType
  subject: SubjectIdentifiers
  receivedAt: Date
  identityVerified: boolean
  rectification?: Partial<Record<RectifiableField, string>> | null
  notes?: string | null
}

function compact<T extends Record<string, unknown>>(values: T) {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== null)
  ) as { [K in keyof T]?: NonNullable<T[K]> }
}

export function intakeFromApi(payload: CreateDsrPayload): IntakeRequest {
  const subject = payload.subject
  return {
    type: payload.type,
    subject: compact({
      phone: subject.phone,
      wa_id: subject.wa_id,
      bsuid: subject.bsuid,
      instagram_id: subject.instagram_id,
      email: subject.email,
      customer_ref: subject.customer_ref,
    }),
    receivedAt: payload.received_at,
    identityVerified: payload.identity_verified,
    rectification: payload.rectification
      ? compact({
          display_name: payload.rectification.display_name,
          email: payload.rectification.email,
          phone: payload.rectification.phone,
        })
      : null,
    notes: payload.notes ?? null,
  }
}

export function intakeFromForm(payload: IntakeFormPayload): IntakeRequest {
  const rectification = compact({
    display_name: payload.rect_display_name,
    email: payload.rect_email,
    phone: payload.rect_phone,
  })
  return {
    type: payload.type,
    subject: compact({
      phone: payload.phone,
      wa_id: payload.wa_id,
      bsuid: payload.bsuid,
      instagram_id: payload.instagram_id,
      email: payload.email,
      customer_ref: payload.customer_ref,
    }),
    receivedAt: payload.received_at,
    identityVerified: payload.identity_verified === true,
    rectification: Object.keys(rectification).length ? rectification : null,
    notes: payload.notes ?? null,
  }
}

export const callbackEndpointValidator = vine.compile(
  vine.object({
    url: vine.string().trim().maxLength(2000).url({ require_protocol: true, require_tld: false }),
  })
)
