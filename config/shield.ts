import type { HttpContext } from '@adonisjs/core/http'
import { defineConfig } from '@adonisjs/shield'
import { SESSION_COOKIE } from '#config/session'

/**
 * CSRF applies wherever the session cookie can authenticate a state change. Under /api/ a
 * call with an `Authorization: Bearer` token is exempt (a cross-site page cannot attach one;
 * the token wins over the cookie), and so is a call with no session cookie at all; a call
 * that rides on the session cookie must carry the token (`X-CSRF-TOKEN` header or `_csrf`).
 */
function exemptFromCsrf(ctx: HttpContext) {
  const url = ctx.request.url()
  if (url.startsWith('/webhooks/')) return true
  if (!url.startsWith('/api/')) return false
  const bearer = /^\s*bearer\s+\S/i.test(ctx.request.header('authorization') ?? '')
  return bearer || ctx.request.cookie(SESSION_COOKIE) === undefined
}

/* Everything the console loads is served from this origin, so the CSP allows nothing else. */
export default defineConfig({
  csp: {
    enabled: true,
    directives: {
      defaultSrc: [`'self'`],
      scriptSrc: [`'self'`, '@nonce'],
      styleSrc: [`'self'`],
      imgSrc: [`'self'`, 'data:'],
      connectSrc: [`'self'`],
      fontSrc: [`'self'`],
      objectSrc: [`'none'`],
      frameAncestors: [`'none'`],
      formAction: [`'self'`],
      baseUri: [`'self'`],
    },
    reportOnly: false,
  },
  csrf: {
    enabled: true,
    exceptRoutes: exemptFromCsrf,
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: { enabled: true, action: 'DENY' },
  hsts: { enabled: true, maxAge: '180 days' },
  contentTypeSniffing: { enabled: true },
})
