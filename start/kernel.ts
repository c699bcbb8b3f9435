/*
 * HTTP middleware stacks. Server middleware runs on every request (even unmatched ones),
 * router middleware on matched routes, and named middleware where a route asks for it.
 */
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

server.use([
  () => import('#middleware/request_context_middleware'),
  () => import('#middleware/container_bindings_middleware'),
  () => import('#i18n/middleware/detect_locale_middleware'),
  () => import('@adonisjs/static/static_middleware'),
])

router.use([
  () => import('#core/middleware/uploads_only'),
  () => import('#middleware/blank_query_middleware'),
  () => import('@adonisjs/core/bodyparser_middleware'),
  // Session, shield and auth initialisation (skipped on STATELESS_ROUTES)
  () => import('#core/middleware/stateful_middleware'),
])

export const middleware = router.named({
  authorize: () => import('#access/middleware/authorize_middleware'),
})
