import { type ModuleDocument, json, operation } from '#api_reference/openapi'

export const auditApi: ModuleDocument = {
  tag: { name: 'Audit', description: 'The hash-chained audit trail.' },
  paths: {
    '/api/v1/audit/verify': {
      post: operation({
        summary: 'Walk the audit chain and report whether every link holds',
        responses: {
          200: json({
            oneOf: [
              {
                type: 'object',
                required: ['valid', 'checked', 'lastHash'],
                properties: {
                  valid: { const: true },
                  checked: { type: 'integer' },
                  lastHash: { type: 'string' },
                },
              },
              {
                type: 'object',
                required: ['valid', 'checked', 'brokenAt', 'reason'],
                properties: {
                  valid: { const: false },
                  checked: { type: 'integer' },
                  brokenAt: { type: 'integer' },
                  reason: { type: 'string' },
                },
              },
            ],
          }),
        },
      }),
    },
  },
}
