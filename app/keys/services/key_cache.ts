interface Entry {
  key: Buffer
  expiresAt: number
  usesLeft: number
}

interface Load {
  promise: Promise<Buffer>
  /** Set when the id was evicted while loading: the result must not be cached. */
  revoked: boolean
}

export interface KeyCacheOptions {
  ttlMs: number
  maxUses: number
  /** At most this many keys in memory (default 10,000); the oldest go first. */
  maxEntries?: number
}

/**
 * Unwrapped keys, in memory only, each dropped after `ttlMs` or `maxUses` uses, whichever comes
 * first; the next use is a miss that goes back to the KMS. Concurrent misses for one key share a
 * single load. Expired keys are swept out periodically (`startSweeping`), not only when next
 * asked for, and the cache never holds more than `maxEntries`.
 *
 * Evicting an id also revokes a load of it still in flight: a subject key destroyed while its
 * unwrap was under way is never put back by that unwrap.
 */
export class KeyCache {
  private entries = new Map<string, Entry>()
  private loading = new Map<string, Load>()
  private sweeper?: NodeJS.Timeout
  misses = 0

  constructor(
    public options: KeyCacheOptions,
    private now: () => number = Date.now
  ) {}

  /** One use of a cached key, or undefined on a miss. */
  take(id: string): Buffer | undefined {
    const entry = this.entries.get(id)
    if (!entry) return undefined
    if (entry.expiresAt <= this.now()) {
      this.drop(id)
      return undefined
    }
    if (--entry.usesLeft <= 0) this.drop(id)
    return entry.key
  }

  put(id: string, key: Buffer) {
    this.entries.delete(id)
    const max = this.options.maxEntries ?? 10_000
    if (this.entries.size >= max) this.sweep()
    // Map order is insertion order: the first entries are the oldest
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < max) break
      this.drop(oldest)
    }
    this.entries.set(id, {
      key,
      expiresAt: this.now() + this.options.ttlMs,
      usesLeft: this.options.maxUses,
    })
  }

  async through(id: string, load: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.take(id)
    if (hit) return hit
    const pending = this.loading.get(id)
    if (pending) return pending.promise
    this.misses++
    const current: Load = { promise: load(), revoked: false }
    this.loading.set(id, current)
    try {
      const key = await current.promise
      if (!current.revoked) {
        // The load itself counts as the first use
        this.put(id, key)
        this.take(id)
      }
      return key
    } finally {
      if (this.loading.get(id) === current) this.loading.delete(id)
    }
  }

  has(id: string) {
    const entry = this.entries.get(id)
    return !!entry && entry.expiresAt > this.now() && entry.usesLeft > 0
  }

  delete(id: string) {
    this.evictWhere((candidate) => candidate === id)
  }

  evictWhere(predicate: (id: string) => boolean) {
    for (const id of this.entries.keys()) if (predicate(id)) this.drop(id)
    for (const [id, load] of this.loading) {
      if (!predicate(id)) continue
      load.revoked = true
      this.loading.delete(id)
    }
  }

  evictPrefix(prefix: string) {
    this.evictWhere((id) => id.startsWith(prefix))
  }

  clear() {
    this.evictWhere(() => true)
  }

  /** Drops every expired key; returns how many went. */
  sweep() {
    const now = this.now()
    let dropped = 0
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) continue
      this.drop(id)
      dropped++
    }
    return dropped
  }

  /** Sweeps every `intervalMs` without keeping the process alive. */
  startSweeping(intervalMs: number) {
    this.stopSweeping()
    this.sweeper = setInterval(() => this.sweep(), intervalMs)
    this.sweeper.unref()
  }

  stopSweeping() {
    if (this.sweeper) clearInterval(this.sweeper)
    this.sweeper = undefined
  }

  private drop(id: string) {
    this.entries.delete(id)
  }

  get size() {
    return this.entries.size
  }
}
