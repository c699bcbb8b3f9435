interface Entry {
  key: Buffer
  expiresAt: number
  usesLeft: number
}

export interface KeyCacheOptions {
  ttlMs: number
  maxUses: number
}

/**
 * Unwrapped keys, in memory only, each dropped after `ttlMs` or `maxUses` uses, whichever comes
 * first; the next use is a miss that goes back to the KMS. Concurrent misses for one key share a
 * single load.
 */
export class KeyCache {
  private entries = new Map<string, Entry>()
  private loading = new Map<string, Promise<Buffer>>()
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
      this.entries.delete(id)
      return undefined
    }
    if (--entry.usesLeft <= 0) this.entries.delete(id)
    return entry.key
  }

  put(id: string, key: Buffer) {
    this.entries.set(id, {
      key,
      expiresAt: this.now() + this.options.ttlMs,
      usesLeft: this.options.maxUses,
    })
  }

  async through(id: string, load: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.take(id)
    if (hit) return hit
    let pending = this.loading.get(id)
    if (!pending) {
      this.misses++
      pending = load().finally(() => this.loading.delete(id))
      this.loading.set(id, pending)
      const key = await pending
      // The load itself counts as the first use
      this.put(id, key)
      this.take(id)
      return key
    }
    return pending
  }

  has(id: string) {
    const entry = this.entries.get(id)
    return !!entry && entry.expiresAt > this.now() && entry.usesLeft > 0
  }

  delete(id: string) {
    this.entries.delete(id)
  }

  evictWhere(predicate: (id: string) => boolean) {
    for (const id of this.entries.keys()) if (predicate(id)) this.entries.delete(id)
  }

  evictPrefix(prefix: string) {
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.entries.delete(id)
  }

  clear() {
    this.entries.clear()
  }

  get size() {
    return this.entries.size
  }
}
