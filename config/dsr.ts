import app from '@adonisjs/core/services/app'
import env from '#start/env'

/** Data-subject requests: merchant callbacks. Deadlines and calendars: config/calendars.ts. */
const dsrConfig = {
  callbacks: {
    /**
     * Development only: accept http:// and loopback/private addresses as callback URLs (a local
     * receiver). Never in production: a callback must not reach into the hub's own network.
     */
    allowPrivate: env.get('DSR_CALLBACKS_ALLOW_PRIVATE', false) && !app.inProduction,
    timeoutMs: 10_000,
    /** Delivery attempts per event; BullMQ backs off exponentially from `backoffMs`. */
    attempts: 6,
    backoffMs: 10_000,
  },
  /** Cases due within this many days count as "due soon" on lists and dashboards. */
  dueSoonDays: 7,
}

export default dsrConfig
