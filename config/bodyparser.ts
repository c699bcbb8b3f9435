import { defineConfig } from '@adonisjs/core/bodyparser'

/**
 * Route patterns that take file uploads. Only these parse multipart bodies; anywhere else a
 * multipart body is refused with 415 before it is read (#core/middleware/uploads_only).
 */
export const UPLOAD_ROUTES = [
  '/reports/verify',
  '/api/v1/reports/verify',
  '/government-requests',
  '/government-requests/:id/instrument',
]

export default defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  form: {
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],
    limit: '1mb',
  },
  json: {
    convertEmptyStringsToNull: true,
    types: [
      'application/json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'application/csp-report',
    ],
    limit: '1mb',
  },
  multipart: {
    autoProcess: UPLOAD_ROUTES,
    convertEmptyStringsToNull: true,
    processManually: [],
    limit: '20mb',
    types: ['multipart/form-data'],
  },
})
