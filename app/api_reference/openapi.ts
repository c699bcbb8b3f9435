/*
 * The OpenAPI 3.1 document for /api/v1. Each module describes its own paths in
 * `app/<module>/openapi.ts` and is listed in `start/openapi.ts`; this file holds what they share:
 * the error shape, bearer auth, paging, and the assembly.
 */

export type Schema = Record<string, unknown>
export type Operation = Record<string, unknown>
/** Paths as OpenAPI writes them (`/api/v1/objections/{id}`), each with its operations. */
export type Paths = Record<string, Partial<Record<'get' | 'post' | 'put' | 'delete', Operation>>>

const ERROR_STATUSES: Record<number, string> = {
  400: 'The request is malformed.',
  401: 'No session and no valid bearer token.',
  403: 'The caller lacks the permission or token scope.',
  404: 'No such resource, or not visible to the caller.',
  409: 'The request conflicts with the current state.',
  422: 'The input failed validation; `details` names each field.',
  413: 'The request body is larger than allowed (1 MB).',
  415: 'The request body is not of a supported type.',
  429: 'Too many requests.',
  500: 'Something went wrong on our side; the x-request-id header identifies it.',
  503: 'A service the hub depends on (KMS, database) is unavailable.',
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

export const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] })

/** `{ data: <schema> }`, the envelope of every single-resource answer. */
export const dataOf = (schema: Schema): Schema => ({
  type: 'object',
  required: ['data'],
  properties: { data: schema },
})

/** `{ data: [...], meta: { total, page, perPage, lastPage } }`. */
export const pageOf = (item: Schema): Schema => ({
  type: 'object',
  required: ['data', 'meta'],
  properties: { data: { type: 'array', items: item }, meta: ref('PageMeta') },
})

export const json = (schema: Schema, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
})

export const idParameter = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'integer', minimum: 1 },
})

export const pagingParameters = [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
  { name: 'perPage', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
]

/** What any route can answer: the body parser, the limiter and the server itself. */
const ALWAYS = [400, 413, 415, 429, 500, 503]

/**
 * An operation with the error answers it can give added from the shared error shape. `public`
 * operations need no bearer token.
 */
export function operation(
  spec: Operation & { errors?: number[]; public?: boolean; responses: Record<string, unknown> }
): Operation {
  const { errors = [], public: isPublic, responses, ...rest } = spec
  const statuses = [...(isPublic ? [] : [401, 403]), ...errors, ...ALWAYS].sort()
  const errorResponses = Object.fromEntries(
    [...new Set(statuses)].map((status) => [
      String(status),
      json(ref('Error'), ERROR_STATUSES[status] ?? 'Error'),
    ])
  )
  return {
    ...rest,
    ...(isPublic ? { security: [] } : {}),
    responses: { ...responses, ...errorResponses },
  }
}

const SHARED_SCHEMAS: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'details'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', description: 'Stable snake_case code clients branch on.' },
          message: { type: 'string' },
          details: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                field: { type: 'string' },
                rule: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
  PageMeta: {
    type: 'object',
    required: ['total', 'page', 'perPage', 'lastPage'],
    properties: {
      total: { type: 'integer' },
      page: { type: 'integer' },
      perPage: { type: 'integer' },
      lastPage: { type: 'integer' },
    },
  },
}

export interface ModuleDocument {
  tag: { name: string; description: string }
  paths: Paths
  schemas?: Record<string, Schema>
}

export function buildDocument(modules: ModuleDocument[]) {
  const paths: Paths = {}
  const schemas: Record<string, Schema> = { ...SHARED_SCHEMAS }
  for (const module of modules) {
    for (const [path, operations] of Object.entries(module.paths)) {
      paths[path] = { ...paths[path] }
      for (const [method, op] of Object.entries(operations)) {
        paths[path][method as keyof Paths[string]] = { tags: [module.tag.name], ...op }
      }
    }
    Object.assign(schemas, module.schemas)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Conversera Privacy Hub API',
      version: '1',
      description:
        'Merchant and auditor API of the privacy hub. Authenticate with a merchant API token as ' +
        '`Authorization: Bearer <token>`; every error answers `{"error":{"code","message","details"}}`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: modules.map((module) => module.tag),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A merchant API token (console: API tokens).',
        },
      },
      schemas,
    },
  }
}
