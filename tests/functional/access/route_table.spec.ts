import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { ROLE_PERMISSIONS } from '#access/roles'

interface RouteEntry {
  name?: string
  pattern: string
  methods: string[]
  authorize: Array<{ permission?: unknown; public?: unknown }>
}

/** Every committed route with the arguments of each `authorize` middleware on it. */
function routeTable(): RouteEntry[] {
  return Object.values(router.toJSON()).flatMap((routes) =>
    routes.map((route) => ({
      name: route.name,
      pattern: route.pattern,
      methods: route.methods,
      authorize: [...route.middleware.all()]
        .filter((one) => typeof one !== 'function' && one.name === 'authorize')
        .map((one) => ((one as { args?: unknown }).args ?? {}) as RouteEntry['authorize'][number]),
    }))
  )
}

const label = (route: RouteEntry) => `${route.methods.join('|')} ${route.pattern}`
const granted = new Set(Object.values(ROLE_PERMISSIONS).flat())

test.group('Route table', () => {
  test('the table is committed and includes the known routes', ({ assert }) => {
    const names = routeTable().map((route) => route.name)
    assert.includeMembers(names, [
      'health',
      'dashboard',
      'access.users.index',
      'api.merchant.current',
    ])
  })

  test('every route names a permission or says it is public', ({ assert }) => {
    const offenders = routeTable()
      .filter((route) => {
        if (route.authorize.length !== 1) return true
        const [options] = route.authorize
        if (options.public === true) return Object.keys(options).length !== 1
        return (
          typeof options.permission !== 'string' || !/^[a-z_]+:[a-z_]+$/.test(options.permission)
        )
      })
      .map(label)
    assert.deepEqual(offenders, [], 'routes without exactly one explicit authorize()')
  })

  test('every permission a route needs is granted to some role', ({ assert }) => {
    const unreachable = routeTable()
      .filter((route) => {
        const permission = route.authorize[0]?.permission
        return typeof permission === 'string' && !granted.has(permission)
      })
      .map((route) => `${label(route)} needs ${route.authorize[0].permission}`)
    assert.deepEqual(unreachable, [], 'routes nobody can reach')
  })

  test('every route is named', ({ assert }) => {
    assert.deepEqual(
      routeTable()
        .filter((route) => !route.name)
        .map(label),
      []
    )
  })
})
