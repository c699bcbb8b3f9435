import { type ModuleDocument, json, operation } from '#api_reference/openapi'

export const referenceApi: ModuleDocument = {
  tag: { name: 'Reference', description: 'This document.' },
  paths: {
    '/api/v1/openapi.json': {
      get: operation({
        summary: 'The OpenAPI 3.1 document of /api/v1',
        public: true,
        responses: { 200: json({ type: 'object', required: ['openapi', 'paths'] }) },
      }),
    },
  },
}
