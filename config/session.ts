import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

/*
 * Sessions live in Redis, not in the cookie: the cookie holds only the session id, so ending a
 * session server-side (logout, password or MFA change, a disabled user) really ends it.
 * Every session of a user is tagged with the user id (#access/services/sessions).
 */
/** The session cookie; shield checks for it to decide when an API call needs a CSRF token. */
export const SESSION_COOKIE = 'hub-session'

export default defineConfig({
  enabled: true,
  cookieName: SESSION_COOKIE,
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
    /* Server-side: revocable, and a refused form's input (whatever its size) survives the
       redirect back, which a 4 KB cookie silently drops. */
    redis: stores.redis({ connection: 'session' }),
  },
})
