import {
  type ModuleDocument,
  dataOf,
  idParameter,
  json,
  nullable,
  operation,
  ref,
} from '#api_reference/openapi'

const termination = dataOf(ref('Termination'))

/*
 * Merchant termination (DSR module). Kept beside the termination service rather than in
 * app/dsr/openapi.ts, which case management owns; both are listed in start/openapi.ts.
 */
export const terminationApi: ModuleDocument = {
  tag: {
    name: 'Termination',
    description:
      'Ending the service: return or delete all data after a grace period, with a signed certificate.',
  },
  schemas: {
    Termination: {
      type: 'object',
      required: ['id', 'choice', 'status', 'requestedAt', 'deleteAfter', 'exportReady'],
      properties: {
        id: { type: 'integer' },
        choice: { type: 'string', enum: ['return', 'delete'] },
        status: {
          type: 'string',
          enum: ['requested', 'prepared', 'approved', 'completed', 'cancelled'],
        },
        requestedAt: { type: 'string', format: 'date-time' },
        deleteAfter: {
          type: 'string',
          format: 'date-time',
          description: 'Nothing is deleted before this (TERMINATION_GRACE_DAYS after the request).',
        },
        exportReady: { type: 'boolean', description: 'The full "return" package can be fetched.' },
        executedAt: nullable({ type: 'string', format: 'date-time' }),
        certificateDocumentId: nullable({ type: 'string', format: 'uuid' }),
      },
    },
  },
  paths: {
    '/api/v1/termination': {
      post: operation({
        summary: 'Ask to end the service: return (a full package first) or delete',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['choice'],
                properties: { choice: { type: 'string', enum: ['return', 'delete'] } },
              },
            },
          },
        },
        errors: [409, 422],
        responses: { 201: json(termination, 'Requested') },
      }),
      get: operation({
        summary: 'The merchant’s latest termination request (null when there is none)',
        errors: [404],
        responses: { 200: json(dataOf(nullable(ref('Termination')))) },
      }),
    },
    '/api/v1/terminations/{id}/export': {
      get: operation({
        summary: 'The full package of a "return" termination (each download is audited)',
        parameters: [idParameter('Termination id')],
        errors: [404, 410],
        responses: {
          200: {
            description: 'JSON package',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      }),
    },
    '/api/v1/terminations/{id}/prepare': {
      post: operation({
        summary: 'Staff: prepare the deletion of a requested termination',
        parameters: [idParameter('Termination id')],
        errors: [404, 409],
        responses: { 200: json(termination) },
      }),
    },
    '/api/v1/terminations/{id}/approve': {
      post: operation({
        summary: 'Staff: approve a prepared deletion (not the person who prepared it)',
        parameters: [idParameter('Termination id')],
        errors: [404, 409],
        responses: { 200: json(termination) },
      }),
    },
  },
}
