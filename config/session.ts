import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

/*
 * Sessions live in Redis, not in the cookie: the cookie holds only the session id, so ending a
 * session server-side (logout, password or MFA change, a disabled user) really ends it.
 * Every session of a user is tagged with the user id (#access/services/sessions).
 */
export default defineConfig({
  enabled: true,
  cookieName: 'hub-session',
  clearWithBrowser: true,
  age: '2h',
  cookie: {
    path: '/',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
  store: env.get('SESSION_DRIVER', 'redis'),
  stores: {
    redis: stores.redis({ connection: 'session' }),
  },
})
