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
import { TRANSFER_MECHANISMS } from '#vendors/models/subprocessor'
import { OBJECTION_OUTCOMES } from '#vendors/models/objection'

const dateTime = { type: 'string', format: 'date-time' }

export const vendorsApi: ModuleDocument = {
  tag: {
    name: 'Subprocessors',
    description: 'The public subprocessor list, change notices and merchant objections.',
  },
  schemas: {
    Subprocessor: {
      type: 'object',
      required: ['id', 'name', 'service', 'processingCountries', 'transferMechanism', 'status'],
      properties: {
        id: { type: 'integer' },
        name: { type: 'string' },
        legalEntity: nullable({ type: 'string' }),
        service: { type: 'string' },
        purpose: nullable({ type: 'string' }),
        dataCategories: { type: 'array', items: { type: 'string' } },
        processingCountries: { type: 'array', items: { type: 'string' } },
        transferMechanism: { type: 'string', enum: [...TRANSFER_MECHANISMS] },
        dpaSignedOn: nullable({ type: 'string', format: 'date' }),
        aiTerms: nullable({ type: 'object' }),
        status: { type: 'string' },
        effectiveAt: nullable(dateTime),
        updatedAt: dateTime,
      },
    },
    Objection: {
      type: 'object',
      required: ['id', 'subprocessorId', 'merchantId', 'reason', 'status', 'createdAt'],
      properties: {
        id: { type: 'integer' },
        subprocessorId: { type: 'integer' },
        noticeId: nullable({ type: 'integer' }),
        merchantId: { type: 'integer' },
        reason: { type: 'string' },
        status: { type: 'string', enum: ['open', ...OBJECTION_OUTCOMES] },
        raisedVia: { type: 'string' },
        resolutionNote: nullable({ type: 'string' }),
        resolvedAt: nullable(dateTime),
        createdAt: dateTime,
      },
    },
    ChangeNotice: {
      type: 'object',
      required: ['id', 'subprocessorId', 'kind', 'summary', 'publishedAt', 'objectionWindowOpen'],
      properties: {
        id: { type: 'integer' },
        subprocessorId: { type: 'integer' },
        subprocessor: nullable({ type: 'string' }),
        kind: { type: 'string', enum: ['addition', 'change', 'retirement'] },
        summary: { type: 'string' },
        changes: { type: 'array', items: { type: 'object' } },
        publishedAt: dateTime,
        objectionDeadline: nullable(dateTime),
        objectionWindowOpen: { type: 'boolean' },
      },
    },
  },
  paths: {
    '/api/v1/subprocessors': {
      get: operation({
        summary: 'The public list of subprocessors in use or announced',
        public: true,
        parameters: pagingParameters,
        errors: [422],
        responses: { 200: json(pageOf(ref('Subprocessor'))) },
      }),
    },
    '/api/v1/subprocessors/{id}': {
      get: operation({
        summary: 'One public subprocessor',
        public: true,
        parameters: [idParameter('Subprocessor id')],
        errors: [404],
        responses: { 200: json(dataOf(ref('Subprocessor'))) },
      }),
    },
    '/api/v1/subprocessors/{id}/objections': {
      post: operation({
        summary: 'Object to a subprocessor change while its notice window is open',
        parameters: [
          idParameter('Subprocessor id'),
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'Repeating a request with the same key returns the first objection.',
            schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['reason'],
                properties: { reason: { type: 'string', minLength: 10, maxLength: 4000 } },
              },
            },
          },
        },
        errors: [404, 409, 422],
        responses: {
          201: json(
            dataOf(ref('Objection')),
            'Objection raised (or replayed for a repeated idempotency key)'
          ),
        },
      }),
    },
    '/api/v1/objections': {
      get: operation({
        summary: "The caller's merchant's objections",
        parameters: [
          ...pagingParameters,
          {
            name: 'status',
            in: 'query',
            schema: { type: 'string', enum: ['open', ...OBJECTION_OUTCOMES] },
          },
        ],
        errors: [422],
        responses: { 200: json(pageOf(ref('Objection'))) },
      }),
    },
    '/api/v1/objections/{id}': {
      get: operation({
        summary: 'One objection of the caller’s merchant',
        parameters: [idParameter('Objection id')],
        errors: [404],
        responses: { 200: json(dataOf(ref('Objection'))) },
      }),
    },
    '/api/v1/subprocessor-notices': {
      get: operation({
        summary: "Change notices delivered to the caller's merchant",
        parameters: pagingParameters,
        errors: [422],
        responses: { 200: json(pageOf(ref('ChangeNotice'))) },
      }),
    },
  },
}
