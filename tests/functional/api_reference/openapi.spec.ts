import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { openApiDocument } from '#start/openapi'
import { assertDocumentedResponse } from '#tests/helpers/openapi_responses'

/** Every /api/v1 route of the router as `METHOD /api/v1/path/{param}`. */
function apiRoutes() {
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => route.pattern.startsWith('/api/v1/'))
    .flatMap((route) =>
      route.methods
        .filter((method) => method !== 'HEAD')
        .map((method) => `${method} ${route.pattern.replace(/:(\w+)/g, '{$1}')}`)
    )
}

test.group('API reference', () => {
  test('every /api/v1 route of the router is in the OpenAPI document, and nothing else', ({
    assert,
  }) => {
    const documented = Object.entries(openApiDocument.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)
    )
    const routes = apiRoutes()
    assert.isAbove(routes.length, 10)
    assert.sameMembers(routes, documented)
  })

  test('every operation documents the error shape and its bearer auth', ({ assert }) => {
    assert.deepEqual(openApiDocument.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      description: 'A merchant API token (console: API tokens).',
    })
    for (const [path, operations] of Object.entries(openApiDocument.paths)) {
      for (const [method, op] of Object.entries(operations) as Array<[string, any]>) {
        const error = op.responses['500']?.content['application/json'].schema
        assert.deepEqual(error, { $ref: '#/components/schemas/Error' }, `${method} ${path}`)
        if (op.security === undefined) assert.exists(op.responses['401'], `${method} ${path}`)
      }
    }
  })

  test('the document is served at /api/v1/openapi.json as OpenAPI 3.1', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/api/v1/openapi.json')
    response.assertStatus(200)
    assert.equal(response.body().openapi, '3.1.0')
    assert.deepEqual(response.body(), JSON.parse(JSON.stringify(openApiDocument)))
  })

  test('an answer that breaks its schema or an undocumented status fails the test', ({
    assert,
  }) => {
    const fake = (status: number, body: unknown) =>
      ({
        status: () => status,
        body: () => body,
        text: () => JSON.stringify(body),
        header: () => 'application/json; charset=utf-8',
      }) as any
    const merchant = {
      data: {
        merchant: { id: 1, slug: 'a', legalName: 'A', countryCode: 'EG', status: 'active' },
        principal: { kind: 'token', domain: 'merchant:1', roles: [] },
      },
    }
    // createdAt is required: the schema catches its absence
    assert.throws(
      () => assertDocumentedResponse('GET', '/api/v1/merchant', fake(200, merchant)),
      /breaks its schema.*createdAt/
    )
    merchant.data.merchant = {
      ...merchant.data.merchant,
      createdAt: '2026-11-30T04:00:00.000Z',
    } as any
    assert.doesNotThrow(() =>
      assertDocumentedResponse('GET', '/api/v1/merchant', fake(200, merchant))
    )
    assert.throws(
      () => assertDocumentedResponse('GET', '/api/v1/merchant', fake(418, {})),
      /does not document/
    )
    assert.throws(
      () => assertDocumentedResponse('GET', '/api/v1/merchant', fake(404, { error: 'nope' })),
      /breaks its schema/
    )
  })

  test('the reference page renders the document offline, under the CSP with nonces', async ({
    client,
    assert,
  }) => {
    const page = await client.get('/api-reference')
    page.assertStatus(200)
    const csp = String(page.header('content-security-policy'))
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    assert.exists(nonce)
    assert.notInclude(csp, 'unsafe-inline')
    const html = page.text()
    assert.include(html, 'data-url="/api/v1/openapi.json"')
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((match) => match[1])
    assert.isNotEmpty(scripts)
    for (const attributes of scripts) {
      assert.include(attributes, `nonce="${nonce}"`)
      // Same-origin files only: no CDN
      assert.match(attributes, /src="\/(vendor|js)\//)
    }

    const bundle = await client.get('/vendor/swagger-ui.js')
    bundle.assertStatus(200)
    assert.include(String(bundle.header('content-type')), 'text/javascript')
    assert.include(bundle.text(), 'SwaggerUIBundle')
    const styles = await client.get('/vendor/swagger-ui.css')
    assert.include(String(styles.header('content-type')), 'text/css')
  })
})
