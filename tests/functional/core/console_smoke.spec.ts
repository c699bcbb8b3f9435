import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import router from '@adonisjs/core/services/router'
import { MERCHANT_ROLES, ROLE_PERMISSIONS, STAFF_ROLES, type Role } from '#access/roles'
import type User from '#access/models/user'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'

interface PageRoute {
  pattern: string
  permission: string | null
}

/* Every GET route that needs no parameters: what a person can reach from a link or the address bar. */
function parameterlessPages(): PageRoute[] {
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => route.methods.includes('GET') && !route.pattern.includes(':'))
    .map((route) => {
      const authorize = [...route.middleware.all()].find(
        (one) => typeof one !== 'function' && one.name === 'authorize'
      ) as { args?: { permission?: string } } | undefined
      return { pattern: route.pattern, permission: authorize?.args?.permission ?? null }
    })
}

async function everyRole(): Promise<Array<{ role: Role; user: User }>> {
  const merchant = await createMerchant()
  const staff = await Promise.all(
    STAFF_ROLES.map(async (role) => ({ role, user: await staffUser(role) }))
  )
  const merchants = await Promise.all(
    MERCHANT_ROLES.map(async (role) => ({ role, user: await merchantUser(merchant, role) }))
  )
  return [...staff, ...merchants]
}

test.group('Console smoke', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('every page answers every role without a server error, and opens for those allowed', async ({
    client,
    assert,
  }) => {
    const pages = parameterlessPages()
    assert.isAbove(pages.length, 20)
    const failures: string[] = []

    for (const { role, user } of await everyRole()) {
      for (const page of pages) {
        if (page.pattern.startsWith('/logout')) continue
        const response = await client
          .get(page.pattern)
          .header('accept', 'text/html')
          .actingAs(user)
          .redirects(0)
        const status = response.status()
        // `/api/v1/merchant` is "my merchant": staff have none, so 404 is their right answer
        const merchantContext =
          page.pattern === '/api/v1/merchant' && STAFF_ROLES.includes(role as any)
        const allowed =
          page.permission !== null &&
          ROLE_PERMISSIONS[role].includes(page.permission) &&
          !merchantContext
        // No object or JSON dump reaches a page
        if (status === 200 && String(response.header('content-type')).startsWith('text/html')) {
          const text = response.text()
          if (text.includes('[object Object]'))
            failures.push(`${role} GET ${page.pattern} shows [object Object]`)
          if (/>\s*[{[]&quot;/.test(text)) failures.push(`${role} GET ${page.pattern} dumps JSON`)
        }
        if (status >= 500) failures.push(`${role} GET ${page.pattern} -> ${status}`)
        else if (allowed && status !== 200)
          failures.push(`${role} GET ${page.pattern} -> ${status} (allowed)`)
        else if (page.permission !== null && !allowed && status !== 403 && status !== 404)
          failures.push(`${role} GET ${page.pattern} -> ${status} (not allowed)`)
      }
    }
    assert.deepEqual(failures, [])
  }).timeout(240_000)
})
