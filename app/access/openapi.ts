import {
  type ModuleDocument,
  dataOf,
  idParameter,
  json,
  nullable,
  operation,
  ref,
} from '#api_reference/openapi'

export const accessApi: ModuleDocument = {
  tag: { name: 'Merchant', description: 'Who is calling, and for which merchant.' },
  schemas: {
    Merchant: {
      type: 'object',
      required: ['id', 'slug', 'legalName', 'countryCode', 'status', 'createdAt'],
      properties: {
        id: { type: 'integer' },
        slug: { type: 'string' },
        legalName: { type: 'string' },
        countryCode: { type: 'string', minLength: 2, maxLength: 2 },
        status: { type: 'string' },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
    Caller: {
      type: 'object',
      required: ['kind', 'domain', 'roles'],
      properties: {
        kind: { type: 'string', enum: ['user', 'token'] },
        tokenId: nullable({ type: 'integer' }),
        domain: { type: 'string' },
        roles: { type: 'array', items: { type: 'string' } },
        scopes: nullable({ type: 'array', items: { type: 'string' } }),
      },
    },
  },
  paths: {
    '/api/v1/merchant': {
      get: operation({
        summary: "The caller's merchant and the caller itself",
        errors: [404],
        responses: {
          200: json(
            dataOf({
              type: 'object',
              required: ['merchant', 'principal'],
              properties: { merchant: ref('Merchant'), principal: ref('Caller') },
            })
          ),
        },
      }),
    },
    '/api/v1/merchants/{id}': {
      get: operation({
        summary: 'One merchant, if it is in the caller’s scope',
        parameters: [idParameter('Merchant id')],
        errors: [404],
        responses: { 200: json(dataOf(ref('Merchant'))) },
      }),
    },
  },
}
