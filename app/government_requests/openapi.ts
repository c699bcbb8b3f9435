import {
  type ModuleDocument,
  dataOf,
  idParameter,
  json,
  nullable,
  operation,
  ref,
} from '#api_reference/openapi'
import { INSTRUMENT_TYPES, OUTCOMES, REQUEST_STATUSES } from '#government_requests/policy'

const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' }

export const governmentRequestsApi: ModuleDocument = {
  tag: {
    name: 'Government requests',
    description:
      'Authority requests for the legal team (staff session): a request’s state, and building its minimum-disclosure package, which the hub refuses without a legal instrument, a completed assessment and an approved decision.',
  },
  schemas: {
    GovernmentRequest: {
      type: 'object',
      required: ['id', 'reference', 'status', 'authority', 'instrumentType', 'receivedAt', 'dueAt'],
      additionalProperties: false,
      properties: {
        id: { type: 'integer' },
        reference: { type: 'string', example: 'GR-2026-0001' },
        status: { type: 'string', enum: [...REQUEST_STATUSES] },
        authority: {
          type: 'object',
          additionalProperties: false,
          properties: {
            name: { type: 'string' },
            country: { type: 'string' },
            type: { type: 'string' },
          },
        },
        instrumentType: { type: 'string', enum: [...INSTRUMENT_TYPES] },
        receivedAt: { type: 'string', format: 'date-time' },
        dueAt: { type: 'string', format: 'date-time' },
        overdue: { type: 'boolean' },
        gagUntil: nullable({ type: 'string', format: 'date' }),
        ownConduct: { type: 'boolean' },
        assessed: { type: 'boolean' },
        outcome: nullable({ type: 'string', enum: [...OUTCOMES] }),
      },
    },
    Disclosure: {
      type: 'object',
      required: ['id', 'requestId', 'recipient', 'categories', 'packageSha256', 'jweSha256'],
      additionalProperties: false,
      properties: {
        id: { type: 'integer' },
        requestId: { type: 'integer' },
        recipient: { type: 'string' },
        categories: { type: 'array', items: { type: 'string' } },
        subjects: { type: 'integer', description: 'Customer records the package covers.' },
        packageSha256: { ...sha256, description: 'SHA-256 of the canonical package JSON.' },
        jweSha256: sha256,
        deliveredAt: { type: 'string', format: 'date-time' },
        jwe: {
          type: 'string',
          description:
            'The package (package.json and cover-letter.pdf) as a compact JWE, dir/A256GCM.',
        },
        deliveryKey: {
          type: 'string',
          description: 'The content key (base64url), to hand to the recipient separately.',
        },
      },
    },
  },
  paths: {
    '/api/v1/government-requests/{id}': {
      get: operation({
        summary: 'A request’s state and approved outcome',
        parameters: [idParameter('Request id')],
        errors: [404],
        responses: { 200: json(dataOf(ref('GovernmentRequest'))) },
      }),
    },
    '/api/v1/government-requests/{id}/disclosures': {
      post: operation({
        summary: 'Build the minimum-disclosure package (approved scope only)',
        description:
          'Refused with 409 unless the request has a recorded legal instrument, a completed assessment and an approved comply or narrow decision (codes `no_legal_instrument`, `assessment_incomplete`, `no_approved_decision`, `informal_request`, `own_conduct_referred`); a field outside the approved scope is 422. Every refusal is audited.',
        parameters: [idParameter('Request id')],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  items: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['identifier', 'merchantId', 'categories'],
                      properties: {
                        identifier: {
                          type: 'integer',
                          minimum: 0,
                          description:
                            'Position of the identifier in the request’s scope (0-based).',
                        },
                        merchantId: { type: 'integer', minimum: 1 },
                        categories: { type: 'array', items: { type: 'string' }, minItems: 1 },
                      },
                    },
                  },
                  recipient: { type: 'string' },
                },
              },
            },
          },
        },
        errors: [404, 409, 422],
        responses: { 201: json(dataOf(ref('Disclosure')), 'Built') },
      }),
    },
  },
}
