import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import env from '#start/env'
import Objection from '#vendors/models/objection'
import router from '@adonisjs/core/services/router'
import { UPLOAD_ROUTES } from '#config/bodyparser'
import { bearerToken, createMerchant, staffUser } from '#tests/helpers/actors'
import { publishedSubprocessor } from '#tests/helpers/vendors'

const base = () => `http://${env.get('HOST')}:${env.get('PORT')}`

async function objectionEndpoint() {
  const merchant = await createMerchant()
  const token = await bearerToken(merchant, { scopes: ['objections:create'] })
  const { subprocessor } = await publishedSubprocessor()
  return {
    url: `${base()}/api/v1/subprocessors/${subprocessor.id}/objections`,
    token,
    subprocessor,
  }
}

async function post(url: string, token: string, body: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  })
  return { status: response.status, body: (await response.json()) as any }
}

test.group('Bad input', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('malformed JSON gets 400 with the error shape and stores nothing', async ({ assert }) => {
    const { url, token, subprocessor } = await objectionEndpoint()
    const { status, body } = await post(url, token, '{"reason": "no trailing brace"')
    assert.equal(status, 400)
    assert.deepEqual(body.error, {
      code: 'bad_request',
      message: 'The request body is not valid JSON.',
      details: [],
    })
    assert.lengthOf(await Objection.query().where('subprocessor_id', subprocessor.id), 0)
  })

  test('an oversized body gets 413 and stores nothing', async ({ assert }) => {
    const { url, token, subprocessor } = await objectionEndpoint()
    const { status, body } = await post(
      url,
      token,
      JSON.stringify({ reason: 'x'.repeat(1_200_000) })
    )
    assert.equal(status, 413)
    assert.equal(body.error.code, 'payload_too_large')
    assert.lengthOf(await Objection.query().where('subprocessor_id', subprocessor.id), 0)
  })

  test('a validation failure gets 422 naming the field', async ({ assert }) => {
    const { url, token } = await objectionEndpoint()
    const { status, body } = await post(url, token, JSON.stringify({}))
    assert.equal(status, 422)
    assert.equal(body.error.code, 'validation_failed')
    assert.equal(body.error.details[0].field, 'reason')
  })

  test('a multipart body is refused with 415 on a route that takes no upload', async ({
    client,
    assert,
  }) => {
    const { url, token, subprocessor } = await objectionEndpoint()
    const form = new FormData()
    form.append('reason', 'We object to this subprocessor.')
    form.append('attachment', new Blob(['x'.repeat(1000)]), 'big.bin')
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    })
    assert.equal(response.status, 415)
    assert.equal(((await response.json()) as any).error.code, 'unsupported_media_type')
    assert.lengthOf(await Objection.query().where('subprocessor_id', subprocessor.id), 0)

    const consoleForm = await client
      .post('/data-map/systems')
      .actingAs(await staffUser('dpo'))
      .withCsrfToken()
      .header('accept', 'text/html')
      .field('name', 'Uploaded system')
    consoleForm.assertStatus(415)
  })

  test('the upload routes are real routes that take POST', ({ assert }) => {
    const posts = Object.values(router.toJSON())
      .flat()
      .filter((route) => route.methods.includes('POST'))
      .map((route) => route.pattern)
    assert.includeMembers(posts, UPLOAD_ROUTES)
  })

  test('an unknown API route gets a JSON 404', async ({ client }) => {
    const response = await client.get('/api/v1/no-such-thing')
    response.assertStatus(404)
    response.assertBody({ error: { code: 'not_found', message: 'No such route.', details: [] } })
  })

  test('a non-numeric id does not match a route', async ({ client }) => {
    const response = await client.get('/api/v1/subprocessors/not-a-number')
    response.assertStatus(404)
    response.assertBody({ error: { code: 'not_found', message: 'No such route.', details: [] } })
  })

  test('an unknown console route gets a friendly page without a stack trace', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/no-such-page').header('accept', 'text/html')
    response.assertStatus(404)
    assert.include(response.text(), 'Not found')
    assert.include(response.text(), 'Back to the console')
    assert.notInclude(response.text(), '@if')
    assert.notInclude(response.text(), 'node_modules')
  })

  test('a console form posted without its CSRF token is refused with a friendly page', async ({
    assert,
  }) => {
    const response = await fetch(`${base()}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept': 'text/html' },
      body: 'email=dpo%40conversera.test&password=whatever',
      redirect: 'manual',
    })
    const html = await response.text()
    assert.equal(response.status, 403)
    assert.include(html, 'CSRF')
    assert.notInclude(html, 'node_modules')
  })
})
