import { createHash } from 'node:crypto'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { canonicalJson } from '#core/canonical_json'
import auditTrail, { type AuditEntry } from '#audit/services/audit_trail'

/*
 * Counting one attempt and deciding whether it is the first of its window, in one atomic step:
 * ARGV = prefix, window, tenant, id, overflow id, cap, ttl, entry json, overflow entry json.
 * A tenant past `cap` distinct repeaters in a window has the rest counted under one overflow id,
 * so a spray of new principals or addresses cannot grow the trail either.
 * Returns { id used, count in this window }.
 */
const NOTE_SCRIPT = `
local base = ARGV[1] .. ':' .. ARGV[2]
local id = ARGV[4]
local entry = ARGV[8]
if redis.call('HEXISTS', base .. ':counts', id) == 0 then
  local firsts = redis.call('INCR', base .. ':firsts:' .. ARGV[3])
  redis.call('EXPIRE', base .. ':firsts:' .. ARGV[3], ARGV[7])
  if firsts > tonumber(ARGV[6]) then
    id = ARGV[5]
    entry = ARGV[9]
  end
end
local count = redis.call('HINCRBY', base .. ':counts', id, 1)
if count == 1 then
  redis.call('HSET', base .. ':entries', id, entry)
  redis.call('EXPIRE', base .. ':counts', ARGV[7])
  redis.call('EXPIRE', base .. ':entries', ARGV[7])
  redis.call('SADD', ARGV[1] .. ':windows', ARGV[2])
end
return { id, count }
`

export interface AggregateOptions {
  /** Window length; one event per key and window is written at once, the rest are counted. */
  windowMs: number
  /** Distinct keys per tenant and window before the rest share one overflow count. */
  distinctPerTenant: number
}

/**
 * Repeated failures (denials, failed logins) reach the audit trail aggregated: the first of each
 * key (action, tenant, who, what) in a window is recorded at once; repeats cost one Redis call
 * and never touch the chain or its lock; `flush()` (the worker, every minute) records one
 * summary per key of each closed window with how many repeats it absorbed.
 */
export class AuditAggregates {
  now: () => number = Date.now
  options: AggregateOptions = { windowMs: 60_000, distinctPerTenant: 20 }

  private get prefix() {
    return `${env.get('QUEUE_PREFIX')}:audit-agg`
  }

  private windowOf(at: number) {
    return Math.floor(at / this.options.windowMs)
  }

  /**
   * Notes one occurrence of `entry` (its `actor` must be explicit: the summary is written by the
   * worker). `key` names what repeats, e.g. [route, method]; it is hashed, never stored.
   */
  async note(entry: AuditEntry, key: Array<string | number | null>) {
    const tenant = entry.merchantId ?? 'platform'
    const digest = (parts: unknown[]) =>
      createHash('sha256').update(canonicalJson(parts)).digest('hex').slice(0, 32)
    const actor = entry.actor ?? { type: 'anonymous' }
    const id = digest([entry.action, tenant, actor.type, actor.id ?? null, ...key])
    const overflowId = digest([entry.action, tenant, 'overflow'])
    const overflow: AuditEntry = {
      action: entry.action,
      outcome: entry.outcome,
      actor: { type: 'anonymous' },
      merchantId: entry.merchantId ?? null,
      meta: { overflow: true },
    }
    const window = this.windowOf(this.now())
    const ttl = Math.ceil((this.options.windowMs * 60 * 24) / 1000)
    const [usedId, count] = (await redis.eval(
      NOTE_SCRIPT,
      0,
      this.prefix,
      String(window),
      String(tenant),
      id,
      overflowId,
      String(this.options.distinctPerTenant),
      String(ttl),
      JSON.stringify({ ...entry, actor }),
      JSON.stringify(overflow)
    )) as [string, number]
    if (count !== 1) return { recorded: false, count }
    const first = usedId === id ? { ...entry, actor } : overflow
    await auditTrail.record({ ...first, meta: { ...first.meta, firstInWindow: true } })
    return { recorded: true, count }
  }

  /**
   * Records the summaries of every window that closed before `at` (one window of grace for
   * clocks that disagree). Returns how many summary events it wrote.
   */
  async flush(at = this.now()) {
    const closedBefore = this.windowOf(at) - 1
    const pending = await redis.smembers(`${this.prefix}:windows`)
    const windows = pending
      .map(Number)
      .filter((w) => w < closedBefore)
      .sort((a, b) => a - b)
    let written = 0
    for (const window of windows) {
      const base = `${this.prefix}:${window}`
      const [counts, entries] = await Promise.all([
        redis.hgetall(`${base}:counts`),
        redis.hgetall(`${base}:entries`),
      ])
      const from = new Date(window * this.options.windowMs).toISOString()
      const to = new Date((window + 1) * this.options.windowMs).toISOString()
      // One transaction for the window's summaries, committed before its counts are dropped
      await db.transaction(async (trx) => {
        for (const [id, raw] of Object.entries(counts)) {
          const count = Number(raw)
          if (count < 2 || !entries[id]) continue
          const entry = JSON.parse(entries[id]) as AuditEntry
          await auditTrail.record(
            { ...entry, meta: { ...entry.meta, repeats: count - 1, window: { from, to } } },
            trx
          )
          written++
        }
      })
      await redis.del(`${base}:counts`, `${base}:entries`)
      await redis.srem(`${this.prefix}:windows`, String(window))
    }
    return written
  }
}

const auditAggregates = new AuditAggregates()
export default auditAggregates
