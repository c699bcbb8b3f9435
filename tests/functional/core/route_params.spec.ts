import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import router from '@adonisjs/core/services/router'
import { MAX_SERIAL_ID } from '#core/route_params'
import { bearerToken, createMerchant, staffUser } from '#tests/helpers/actors'

const OVERFLOW = '99999999999999999999'
/** Parameters that are not row ids: codes and names, never compared with an integer column. */
const TEXT_PARAMS: Record<string, string> = {
  category: 'contact.phone',
  file: 'chart.js',
  role: 'dpo',
  documentId: '00000000-0000-4000-8000-000000000000',
  token: 'an-invitation-token',
}

function routes() {
  return Object.values(router.toJSON()).flat()
}

function paramsOf(pattern: string) {
  return [...pattern.matchAll(/:([A-Za-z_]+)/g)].map((match) => match[1])
}

test.group('Numeric route parameters', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('every route parameter is range-checked or declared as text', ({ assert }) => {
    const offenders: string[] = []
    for (const route of routes()) {
      for (const param of paramsOf(route.pattern)) {
        if (param in TEXT_PARAMS) continue
        const matcher = route.matchers[param]?.match
        const accepts = (value: string) => matcher !== undefined && matcher.test(value)
        const bounded =
          accepts('1') &&
          accepts(String(MAX_SERIAL_ID)) &&
          !accepts(String(MAX_SERIAL_ID + 1)) &&
          !accepts(OVERFLOW) &&
          !accepts('0') &&
          !accepts('-1')
        if (!bounded) offenders.push(`${route.methods.join('|')} ${route.pattern} :${param}`)
      }
    }
    assert.deepEqual(offenders, [])
  })

  test('an out-of-range id gets a 404 on every route that takes one, API and console', async ({
    client,
    assert,
  }) => {
    const withId = routes().filter((route) => paramsOf(route.pattern).includes('id'))
    assert.isAbove(withId.length, 30)
    const wrong: string[] = []
    for (const route of withId) {
      const url = route.pattern.replace(/:([A-Za-z_]+)/g, (_, param: string) =>
        param === 'id' ? OVERFLOW : TEXT_PARAMS[param]
      )
      for (const method of route.methods.filter((one) => one !== 'HEAD')) {
        const response = await client
          .request(url, method as 'GET')
          .header('accept', url.startsWith('/api/') ? 'application/json' : 'text/html')
        if (response.status() !== 404) wrong.push(`${method} ${url}: ${response.status()}`)
      }
    }
    assert.deepEqual(wrong, [])
  })

  test('signed in, ids just inside and far outside the range are both a plain 404', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    const dpo = await staffUser('dpo')
    const merchant = await createMerchant()
    const token = await bearerToken(merchant, { scopes: ['merchant:read'] })
    for (const id of [String(MAX_SERIAL_ID), OVERFLOW]) {
      const publicApi = await client.get(`/api/v1/subprocessors/${id}`)
      publicApi.assertStatus(404)
      assert.equal(publicApi.body().error.code, 'not_found')

      const merchantApi = await client.get(`/api/v1/merchants/${id}`).bearerToken(token)
      merchantApi.assertStatus(404)
      assert.equal(merchantApi.body().error.code, 'not_found')

      for (const [page, user] of [
        [`/vendors/subprocessors/${id}`, dpo],
        [`/vendors/tias/${id}/edit`, dpo],
        [`/data-map/systems/${id}/edit`, dpo],
        [`/keys/rotations/${id}`, dpo],
        [`/users/${id}`, admin],
      ] as const) {
        const response = await client.get(page).actingAs(user).header('accept', 'text/html')
        assert.equal(response.status(), 404, page)
        assert.include(response.text(), 'Not found')
      }
    }
  })
})
