import { configProvider } from '@adonisjs/core'
import type { ApplicationService } from '@adonisjs/core/types'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import type { ResolvedSessionConfig } from '@adonisjs/session/types'

/**
 * The session plugin of @japa/api-client, but its client reads and writes the store the server
 * really uses (Redis), not an in-process memory store: `withSession()` and `response.session()`
 * then exercise the same path as a browser.
 */
export function redisSessionApiClient(app: ApplicationService) {
  const sessionConfig = app.config.get('session')
  const realStore = configProvider.create(async () => {
    const config = (await configProvider.resolve(app, sessionConfig)) as ResolvedSessionConfig
    const factory = config.stores[config.store]
    return { ...config, stores: { ...config.stores, memory: () => factory(null as never, config) } }
  })
  const shim = { config: { get: () => realStore } } as unknown as ApplicationService
  return sessionApiClient(shim)
}
