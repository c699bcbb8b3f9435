/*
 * Every /api/v1 response a functional test receives is checked against the OpenAPI document: its
 * status must be documented for the operation and a JSON body must match the schema. A test that
 * meets an undocumented answer fails, so the document cannot drift from the code.
 */
import { ApiClient, type ApiResponse } from '@japa/api-client'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { ValidateFunction } from 'ajv'
import { openApiDocument } from '#start/openapi'

const DOCUMENT_ID = 'https://privacy-hub.invalid/openapi.json'
// ajv-formats is CommonJS whose module.exports is the plugin itself
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void

const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)
ajv.addSchema(openApiDocument, DOCUMENT_ID)

const pointer = (...parts: string[]) =>
  parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

const templates = Object.keys(openApiDocument.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`),
}))

const validators = new Map<string, ValidateFunction>()
function validatorFor(path: string) {
  let validate = validators.get(path)
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}#/${path}` })
    validators.set(path, validate)
  }
  return validate
}

interface ResponseSpec {
  content?: Record<string, { schema?: unknown }>
}

export function assertDocumentedResponse(method: string, url: string, response: ApiResponse) {
  const path = new URL(url, 'http://hub.invalid').pathname
  if (!path.startsWith('/api/v1/')) return
  const verb = method.toLowerCase()
  const status = response.status()
  const where = `${method} ${path} answered ${status}`
  const match = templates.find(({ pattern }) => pattern.test(path))
  const paths = openApiDocument.paths as Record<string, Record<string, any>>
  const operation = match ? paths[match.template][verb] : undefined

  let schemaPath: string | null
  if (!operation) {
    // Only "no such route" may come back from an undocumented URL or method
    if (status !== 404 && status !== 405) {
      throw new Error(`${where}, but the OpenAPI document has no ${verb} ${path}`)
    }
    schemaPath = pointer('components', 'schemas', 'Error')
  } else {
    const spec = operation.responses[String(status)] as ResponseSpec | undefined
    if (!spec) throw new Error(`${where}, which its OpenAPI operation does not document`)
    const contentType = String(response.header('content-type') ?? '').split(';')[0]
    if (!spec.content) {
      if (response.text()) throw new Error(`${where} with a body the document says it has none`)
      return
    }
    if (!spec.content[contentType]) {
      throw new Error(`${where} as ${contentType || 'no content type'}, not documented`)
    }
    if (contentType !== 'application/json') return
    schemaPath = pointer(
      'paths',
      match!.template,
      verb,
      'responses',
      String(status),
      'content',
      'application/json',
      'schema'
    )
  }
  const validate = validatorFor(schemaPath)
  if (!validate(response.body())) {
    throw new Error(
      `${where} with a body that breaks its schema: ${ajv.errorsText(validate.errors)}`
    )
  }
}

ApiClient.teardown((response) => {
  const { method, endpoint } = response.request.config
  assertDocumentedResponse(method, endpoint, response)
})
