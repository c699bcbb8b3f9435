import { EventEmitter } from 'node:events'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin'
import env from '#start/env'
import { LucidCasbinAdapter, ruleDifference as minus } from '#access/services/casbin_adapter'
import { syncRolePermissions } from '#access/services/role_policy'

/*
 * RBAC with domains. Role -> permission rules are written once with domain `*` and apply in
 * every domain; a tenant only adds `g` rows, so enforcement cost does not grow with tenants.
 */
export const CASBIN_MODEL = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && (p.dom == "*" || r.dom == p.dom) && r.obj == p.obj && r.act == p.act
`

export const POLICY_CHANNEL = 'casbin_policy'
/** Column holding the domain, per section (p: sub, dom, ...; g: sub, role, dom). */
const DOMAIN_INDEX = { p: 1, g: 2 } as const
/** Bursts of changes (a seeder, a bulk import) collapse into one refresh. */
const DEBOUNCE_MS = 50
/** Beyond this many changed domains one full reload is cheaper than many filtered ones. */
const FULL_RELOAD_ABOVE = 50
const RECONNECT_MS = 1000
/** Enforcement scans every role rule (~3 µs each); repeated questions are answered from here. */
const DECISION_CACHE_SIZE = 50_000
/** pg application_name of the listener connections, to spot them in pg_stat_activity. */
export const LISTENER_NAME = 'privacy-hub-policy-listener'

/** `resource:action` -> [obj, act]. */
export function splitPermission(permission: string): [string, string] {
  const at = permission.indexOf(':')
  if (at <= 0 || at === permission.length - 1) {
    throw new Error(`permission "${permission}" is not of the form resource:action`)
  }
  return [permission.slice(0, at), permission.slice(at + 1)]
}

/**
 * One Casbin enforcer per process, kept in step with every other process through Postgres
 * LISTEN/NOTIFY: a writer NOTIFYs the domains it changed inside its transaction, and each
 * listener re-reads just those domains (filtered load) and applies the difference, so
 * enforcement never sees a half-loaded policy. Emits `refreshed` (domains) after applying.
 */
export class PolicyEnforcer extends EventEmitter {
  readonly origin = randomUUID()
  readonly adapter = new LucidCasbinAdapter()
  private current: Enforcer | null = null
  private starting: Promise<Enforcer> | null = null
  private listener: pg.Client | null = null
  private pending = new Set<string>()
  private timer: NodeJS.Timeout | null = null
  private work: Promise<unknown> = Promise.resolve()
  private closed = false
  /** subject/domain/permission -> decision; emptied whenever the policy changes. */
  private decisions = new Map<string, boolean>()

  constructor(private options: { watch?: boolean } = {}) {
    super()
  }

  /** The loaded enforcer; the first call syncs the role rules, starts listening and loads. */
  ready(): Promise<Enforcer> {
    if (this.current) return Promise.resolve(this.current)
    this.starting ??= this.start().catch((error) => {
      this.starting = null
      throw error
    })
    return this.starting
  }

  /** Synchronous check; call `ready()` once before. Decisions are cached until a change. */
  allows(subject: string, domain: string, permission: string) {
    if (!this.current) throw new Error('policy enforcer used before ready()')
    const key = `${subject}\u0000${domain}\u0000${permission}`
    let decision = this.decisions.get(key)
    if (decision === undefined) {
      decision = this.current.enforceSync(subject, domain, ...splitPermission(permission))
      if (this.decisions.size >= DECISION_CACHE_SIZE) this.decisions.clear()
      this.decisions.set(key, decision)
    }
    return decision
  }

  /** Tells every process (this one included, via `refresh`) that these domains changed. */
  async notify(client: QueryClientContract, domains: string[]) {
    await client.rawQuery('SELECT pg_notify(?, ?)', [
      POLICY_CHANNEL,
      JSON.stringify({ origin: this.origin, domains }),
    ])
  }

  /** Re-reads the given domains (`*` = everything) and applies the difference in memory. */
  refresh(domains: string[]) {
    const run = this.work.then(() => this.apply(domains))
    this.work = run.catch(() => undefined)
    return run
  }

  async close() {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    await this.work
    const listener = this.listener
    this.listener = null
    await listener?.end().catch(() => undefined)
  }

  private async start() {
    await syncRolePermissions(this)
    // Listen before loading, so a change committed in between is not missed
    if (this.options.watch !== false) await this.listen()
    this.current = await this.build()
    return this.current
  }

  private async build() {
    const enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL), this.adapter)
    // Writes go through the authorization service's transactions, never through Casbin
    enforcer.enableAutoSave(false)
    return enforcer
  }

  private async apply(domains: string[]) {
    if (!this.current) return
    if (domains.includes('*') || domains.length > FULL_RELOAD_ABOVE) {
      this.current = await this.build()
    } else {
      const fresh = newModelFromString(CASBIN_MODEL)
      await new LucidCasbinAdapter().loadFilteredPolicy(fresh, { domains, shared: false })
      const enforcer = this.current
      for (const sec of ['p', 'g'] as const) {
        const loaded = enforcer
          .getModel()
          .getPolicy(sec, sec)
          .filter((rule) => domains.includes(rule[DOMAIN_INDEX[sec]]))
        const wanted = fresh.getPolicy(sec, sec)
        const stale = minus(loaded, wanted)
        const missing = minus(wanted, loaded)
        if (stale.length) await enforcer.selfRemovePolicies(sec, sec, stale)
        if (missing.length) await enforcer.selfAddPolicies(sec, sec, missing)
      }
    }
    // After every change is in: a decision cached mid-way is dropped too
    this.decisions.clear()
    this.emit('refreshed', domains)
  }

  private async listen() {
    const client = new pg.Client({
      host: env.get('DB_HOST'),
      port: env.get('DB_PORT'),
      user: env.get('DB_USER'),
      password: env.get('DB_PASSWORD'),
      database: env.get('DB_DATABASE'),
      application_name: LISTENER_NAME,
    })
    let lost = false
    const onLost = (error?: Error) => {
      if (lost || this.closed) return
      lost = true
      logger.warn({ err: error }, 'policy listener lost its connection; reconnecting')
      this.listener = null
      this.reconnect()
    }
    client.on('notification', (message) => this.onNotification(message.payload))
    client.on('error', onLost)
    client.on('end', () => onLost())
    await client.connect()
    await client.query(`LISTEN ${POLICY_CHANNEL}`)
    this.listener = client
  }

  private reconnect() {
    setTimeout(() => {
      if (this.closed) return
      this.listen()
        // Changes made while disconnected were not heard: reload everything
        .then(() => this.schedule(['*']))
        .catch(() => this.reconnect())
    }, RECONNECT_MS).unref()
  }

  private onNotification(payload: string | undefined) {
    try {
      const change = JSON.parse(payload ?? '') as { origin?: string; domains?: unknown }
      if (change.origin === this.origin) return
      const domains = Array.isArray(change.domains) ? change.domains.map(String) : ['*']
      this.schedule(domains)
    } catch {
      this.schedule(['*'])
    }
  }

  private schedule(domains: string[]) {
    domains.forEach((domain) => this.pending.add(domain))
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      const batch = [...this.pending]
      this.pending.clear()
      // A change heard while the first load is still running is applied once it is done
      this.ready()
        .then(() => this.refresh(batch))
        .catch((error) =>
          logger.error({ err: error }, 'policy refresh failed; enforcement keeps the last policy')
        )
    }, DEBOUNCE_MS)
  }
}

/** The process-wide enforcer, shared by everything in this process. */
const policyEnforcer = new PolicyEnforcer()
app.terminating(() => policyEnforcer.close())
export default policyEnforcer
