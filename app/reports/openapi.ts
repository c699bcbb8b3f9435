import { type ModuleDocument, json, nullable, operation } from '#api_reference/openapi'

export const reportsApi: ModuleDocument = {
  tag: { name: 'Reports', description: 'Checking that a PDF is a report the hub signed.' },
  paths: {
    '/api/v1/reports/verify': {
      post: operation({
        summary: 'Check a report file against its signed manifest',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['report'],
                properties: {
                  report: { type: 'string', format: 'binary', description: 'PDF, ≤ 20 MB' },
                },
              },
            },
          },
        },
        errors: [422],
        responses: {
          200: json({
            type: 'object',
            required: ['valid', 'code', 'message', 'sha256', 'report'],
            properties: {
              valid: { type: 'boolean' },
              code: {
                type: 'string',
                enum: [
                  'valid',
                  'unknown_document',
                  'content_altered',
                  'signature_invalid',
                  'not_a_pdf',
                ],
              },
              message: { type: 'string' },
              sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
              report: nullable({ type: 'object' }),
            },
          }),
        },
      }),
    },
  },
}
