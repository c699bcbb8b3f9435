import { type ModuleDocument, dataOf, json, nullable, operation, ref } from '#api_reference/openapi'

const categoryParameter = {
  name: 'category',
  in: 'path',
  required: true,
  description: 'Data category code, e.g. `customer.contact.phone`',
  schema: { type: 'string' },
}

const merchantParameter = {
  name: 'merchant',
  in: 'query',
  description: "Merchant id; defaults to the caller's merchant (staff: omit for the whole hub)",
  schema: { type: 'integer', minimum: 1 },
}

export const dataMapApi: ModuleDocument = {
  tag: {
    name: 'Data map',
    description: 'The record of processing activities and retention per data category.',
  },
  schemas: {
    RetentionEntry: {
      type: 'object',
      required: ['category', 'name', 'ruleDays', 'overrideDays', 'effectiveDays'],
      properties: {
        category: { type: 'string' },
        name: { type: 'string' },
        ruleDays: nullable({ type: 'integer' }),
        startsFrom: nullable({ type: 'string' }),
        overrideDays: nullable({ type: 'integer' }),
        effectiveDays: nullable({ type: 'integer' }),
      },
    },
  },
  paths: {
    '/api/v1/ropa': {
      get: operation({
        summary: 'The record of processing activities (Art. 30 GDPR) as JSON',
        parameters: [merchantParameter],
        errors: [404, 422],
        responses: { 200: json({ type: 'object' }) },
      }),
    },
    '/api/v1/ropa.csv': {
      get: operation({
        summary: 'The record of processing activities as CSV',
        parameters: [merchantParameter],
        errors: [404, 422],
        responses: {
          200: { description: 'CSV file', content: { 'text/csv': { schema: { type: 'string' } } } },
        },
      }),
    },
    '/api/v1/ropa.pdf': {
      post: operation({
        summary: 'The record of processing activities as a signed PDF report',
        parameters: [merchantParameter],
        errors: [404, 422],
        responses: {
          200: {
            description: 'PDF file, also stored and signed as a report',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      }),
    },
    '/api/v1/retention': {
      get: operation({
        summary: "Retention per data category for the caller's merchant",
        responses: { 200: json(dataOf({ type: 'array', items: ref('RetentionEntry') })) },
      }),
    },
    '/api/v1/retention/overrides/{category}': {
      put: operation({
        summary: 'Shorten the retention of one data category for this merchant',
        parameters: [categoryParameter],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['durationDays'],
                properties: {
                  durationDays: { type: 'integer', maximum: 36500 },
                  reason: { type: 'string', maxLength: 1000 },
                },
              },
            },
          },
        },
        errors: [404, 422],
        responses: {
          200: json(
            dataOf({
              type: 'object',
              required: ['category', 'durationDays'],
              properties: {
                category: { type: 'string' },
                durationDays: { type: 'integer' },
                reason: nullable({ type: 'string' }),
                updatedAt: { type: 'string', format: 'date-time' },
              },
            })
          ),
        },
      }),
      delete: operation({
        summary: "Remove this merchant's override; the category's rule applies again",
        parameters: [categoryParameter],
        errors: [404],
        responses: { 204: { description: 'Removed' } },
      }),
    },
  },
}
