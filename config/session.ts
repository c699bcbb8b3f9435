import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

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
  store: env.get('SESSION_DRIVER'),
  stores: {
    /* Server-side, so a refused form's input (whatever its size) survives the redirect back;
       a cookie store silently drops any flash larger than the browser's 4 KB cookie limit. */
    redis: stores.redis({ connection: 'main' }),
    cookie: stores.cookie(),
  },
})
