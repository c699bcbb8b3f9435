import {
  type ModuleDocument,
  dataOf,
  idParameter,
  json,
  nullable,
  operation,
  pageOf,
  pagingParameters,
  ref,
} from '#api_reference/openapi'
import {
  DSR_SOURCES,
  DSR_STATUSES,
  DSR_TYPES,
  REFUSAL_CODES,
  SUBJECT_IDENTIFIERS,
} from '#dsr/models/dsr_case'

const day = { type: 'string', format: 'date' }
const dateTime = { type: 'string', format: 'date-time' }
const identifier = (description: string) => ({ type: 'string', maxLength: 200, description })

const caseProperties = {
  id: { type: 'integer' },
  reference: { type: 'string', description: 'The hub’s reference, e.g. DSR-2026-7KQ2M9XA.' },
  type: { type: 'string', enum: [...DSR_TYPES] },
  status: { type: 'string', enum: [...DSR_STATUSES] },
  waiting_on: nullable({
    type: 'string',
    enum: ['legal_hold', 'ambiguous_identity', 'human_decision'],
    description: 'Why an in-progress case waits for Conversera staff.',
  }),
  source: { type: 'string', enum: [...DSR_SOURCES] },
  subject_identifiers: {
    type: 'array',
    items: { type: 'string', enum: [...SUBJECT_IDENTIFIERS] },
    description: 'Which identifiers the request carries (their values are not echoed).',
  },
  identity_verified: { type: 'boolean' },
  received_at: { ...day, description: 'The day the merchant (controller) received the request.' },
  due_at: {
    ...day,
    description:
      'GDPR Art. 12(3): one month from receipt (day of receipt not counted; month-end rule), moved to the next working day of the merchant’s jurisdiction; three months once extended.',
  },
  internal_due_at: { ...day, description: 'The hub’s own, earlier target.' },
  original_due_at: day,
  extension: nullable({
    type: 'object',
    required: ['months', 'reason', 'extended_at'],
    additionalProperties: false,
    properties: {
      months: { type: 'integer', enum: [1, 2] },
      reason: nullable({ type: 'string' }),
      extended_at: nullable(dateTime),
    },
  }),
  records_found: nullable({
    type: 'integer',
    description: 'Rows holding the subject’s data; null until located.',
  }),
  legal_hold: { type: 'boolean', description: 'A legal hold stops this case.' },
  refusal: nullable({
    type: 'object',
    required: ['code', 'text'],
    additionalProperties: false,
    properties: {
      code: { type: 'string', enum: [...REFUSAL_CODES] },
      text: nullable({ type: 'string' }),
    },
  }),
  artifacts: {
    type: 'array',
    items: {
      type: 'object',
      required: ['kind', 'url'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: ['report', 'export'] },
        url: { type: 'string', format: 'uri' },
      },
    },
  },
  created_at: dateTime,
  updated_at: dateTime,
  closed_at: nullable(dateTime),
}

const caseRequired = [
  'id',
  'reference',
  'type',
  'status',
  'due_at',
  'internal_due_at',
  'records_found',
  'received_at',
]

const receiptDescription =
  'Compact JWS (ES256, the hub’s report signing key published at /reports/signing-key, header typ `dsr-receipt+jws`) over reference, type, received date and deadlines.'

export const dsrApi: ModuleDocument = {
  tag: {
    name: 'Data-subject requests',
    description:
      'Forward your customers’ GDPR/PDPL requests: the hub locates, packages or erases their data on your instruction and keeps the evidence.',
  },
  schemas: {
    DsrCase: {
      type: 'object',
      required: caseRequired,
      additionalProperties: false,
      properties: caseProperties,
    },
    DsrCaseCreated: {
      type: 'object',
      required: [...caseRequired, 'receipt', 'linked'],
      additionalProperties: false,
      properties: {
        ...caseProperties,
        receipt: { type: 'string', description: receiptDescription },
        linked: {
          type: 'boolean',
          description:
            'True when the request duplicates an open case for the same person and type: that case is returned, nothing new is created.',
        },
      },
    },
    DsrSubmission: {
      type: 'object',
      required: ['type', 'subject', 'received_at', 'identity_verified'],
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: [...DSR_TYPES] },
        subject: {
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          description: 'At least one identifier; unknown keys are refused.',
          properties: {
            phone: identifier('E.164, e.g. +201001234567'),
            wa_id: identifier('WhatsApp id (digits)'),
            bsuid: identifier('WhatsApp business-scoped user id, e.g. US.1349…'),
            instagram_id: identifier('Instagram-scoped id (digits)'),
            email: identifier('E-mail address'),
            customer_ref: { type: 'string', pattern: '^[\\w-]{1,64}$' },
          },
        },
        received_at: { ...day, description: 'When you received it; not in the future.' },
        identity_verified: {
          type: 'boolean',
          const: true,
          description: 'Your attestation that you verified the person’s identity.',
        },
        rectification: {
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          description: 'The corrected values; required for, and only for, rectification.',
          properties: {
            display_name: { type: 'string', maxLength: 200 },
            email: identifier('Corrected e-mail'),
            phone: identifier('Corrected phone (E.164)'),
          },
        },
        notes: { type: 'string', maxLength: 4000 },
      },
    },
  },
  paths: {
    '/api/v1/dsr': {
      post: operation({
        summary: 'Submit a data-subject request',
        description:
          'Answers 201 with the case and a signed receipt. A request for the same person and type while one is open is linked to that case (200, `linked: true`). Repeating a request with the same Idempotency-Key returns the first answer.',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
          },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('DsrSubmission') } },
        },
        errors: [409, 422],
        responses: {
          201: json(dataOf(ref('DsrCaseCreated')), 'Case created (or replayed)'),
          200: json(dataOf(ref('DsrCaseCreated')), 'Linked to the open case for this person'),
        },
      }),
      get: operation({
        summary: 'Your merchant’s cases, newest first',
        parameters: [
          ...pagingParameters,
          { name: 'status', in: 'query', schema: { type: 'string', enum: [...DSR_STATUSES] } },
          { name: 'type', in: 'query', schema: { type: 'string', enum: [...DSR_TYPES] } },
        ],
        errors: [422],
        responses: { 200: json(pageOf(ref('DsrCase'))) },
      }),
    },
    '/api/v1/dsr/{id}': {
      get: operation({
        summary: 'One of your cases',
        parameters: [idParameter('Case id')],
        errors: [404],
        responses: { 200: json(dataOf(ref('DsrCase'))) },
      }),
    },
    '/api/v1/dsr/{id}/report.pdf': {
      get: operation({
        summary: 'The signed case report (PDF), issued when the case closes',
        description:
          'Verify it with /reports/verify or `node ace reports:verify`. Each download is audited.',
        parameters: [idParameter('Case id')],
        errors: [404, 409],
        responses: {
          200: {
            description: 'PDF file',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      }),
    },
    '/api/v1/dsr/{id}/export': {
      get: operation({
        summary: 'The access or portability package of a completed case',
        description:
          'Structured, machine-readable (JSON; `format=csv` for the CSV twin of a portability request). Other people’s identifiers are redacted. Each download is audited.',
        parameters: [
          idParameter('Case id'),
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
        ],
        errors: [404, 410, 422],
        responses: {
          200: {
            description: 'The package',
            content: {
              'application/json': { schema: { type: 'object' } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
        },
      }),
    },
    '/api/v1/dsr/{id}/extension': {
      post: operation({
        summary: 'Extend the deadline once by one or two months (Art. 12(3))',
        description:
          'Only before the first deadline has passed, and only once; you must tell the person about the extension and its reasons.',
        parameters: [idParameter('Case id')],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['months', 'reason'],
                properties: {
                  months: { type: 'integer', enum: [1, 2] },
                  reason: { type: 'string', minLength: 10, maxLength: 2000 },
                },
              },
            },
          },
        },
        errors: [404, 409, 422],
        responses: { 200: json(dataOf(ref('DsrCase'))) },
      }),
    },
    '/api/v1/dsr/{id}/instruction': {
      post: operation({
        summary: 'Instruct the hub to act on a request your customer sent to Conversera',
        parameters: [idParameter('Case id')],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['identity_verified'],
                properties: {
                  type: { type: 'string', enum: [...DSR_TYPES] },
                  identity_verified: { type: 'boolean', const: true },
                },
              },
            },
          },
        },
        errors: [404, 409, 422],
        responses: { 200: json(dataOf(ref('DsrCase'))) },
      }),
    },
  },
}
