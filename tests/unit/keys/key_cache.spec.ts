import { test } from '@japa/runner'
import { KeyCache } from '#keys/services/key_cache'

test.group('Key cache bounds', () => {
  test('a key is served from memory until its use count runs out, then reloaded', async ({
    assert,
  }) => {
    const cache = new KeyCache({ ttlMs: 60_000, maxUses: 3 })
    let loads = 0
    const load = async () => {
      loads++
      return Buffer.alloc(32, loads)
    }
    for (let i = 0; i < 3; i++) await cache.through('dk:a', load)
    assert.equal(loads, 1)
    await cache.through('dk:a', load)
    assert.equal(loads, 2)
  })

  test('a key expires after its TTL and the next use is a miss', async ({ assert }) => {
    let now = 1_000
    const cache = new KeyCache({ ttlMs: 500, maxUses: 1000 }, () => now)
    let loads = 0
    const load = async () => {
      loads++
      return Buffer.alloc(32)
    }
    await cache.through('dk:a', load)
    now += 499
    await cache.through('dk:a', load)
    assert.equal(loads, 1)
    now += 2
    assert.isUndefined(cache.take('dk:a'))
    await cache.through('dk:a', load)
    assert.equal(loads, 2)
  })

  test('concurrent misses for one key share a single load', async ({ assert }) => {
    const cache = new KeyCache({ ttlMs: 1000, maxUses: 1000 })
    let loads = 0
    const load = async () => {
      loads++
      await new Promise((resolve) => setTimeout(resolve, 20))
      return Buffer.alloc(32)
    }
    await Promise.all(Array.from({ length: 10 }, () => cache.through('dk:a', load)))
    assert.equal(loads, 1)
  })

  test('a failed load is not cached', async ({ assert }) => {
    const cache = new KeyCache({ ttlMs: 1000, maxUses: 1000 })
    await assert.rejects(
      () => cache.through('dk:a', async () => Promise.reject(new Error('kms down'))),
      'kms down'
    )
    assert.isFalse(cache.has('dk:a'))
  })

  test('evicting a scope prefix drops only that scope', async ({ assert }) => {
    const cache = new KeyCache({ ttlMs: 1000, maxUses: 1000 })
    cache.put('dk:merchant:1\x1f1', Buffer.alloc(32))
    cache.put('dk:merchant:12\x1f1', Buffer.alloc(32))
    cache.evictPrefix('dk:merchant:1\x1f')
    assert.isFalse(cache.has('dk:merchant:1\x1f1'))
    assert.isTrue(cache.has('dk:merchant:12\x1f1'))
  })
})

test.group('Key cache housekeeping', () => {
  test('the sweep drops expired keys nobody asks for again', ({ assert }) => {
    let now = 0
    const cache = new KeyCache({ ttlMs: 100, maxUses: 10 }, () => now)
    cache.put('dk:a', Buffer.alloc(32))
    cache.put('dk:b', Buffer.alloc(32))
    now = 50
    cache.put('dk:c', Buffer.alloc(32))
    now = 120
    assert.equal(cache.sweep(), 2)
    assert.equal(cache.size, 1)
    assert.isTrue(cache.has('dk:c'))
  })

  test('the cache never holds more than its cap; the oldest key goes first', ({ assert }) => {
    const cache = new KeyCache({ ttlMs: 60_000, maxUses: 10, maxEntries: 3 })
    for (const id of ['a', 'b', 'c', 'd']) cache.put(`sk:${id}`, Buffer.alloc(32))
    assert.equal(cache.size, 3)
    assert.isFalse(cache.has('sk:a'))
    assert.isTrue(cache.has('sk:d'))
  })

  test('a key evicted while its load is in flight is not put back when the load ends', async ({
    assert,
  }) => {
    const cache = new KeyCache({ ttlMs: 60_000, maxUses: 10 })
    let release!: (key: Buffer) => void
    let loads = 0
    const load = () => {
      loads++
      return new Promise<Buffer>((resolve) => (release = resolve))
    }
    const inFlight = cache.through('sk:merchant:1\x1f7\x1fcustomer:9', load)
    // The subject is destroyed now, before the unwrap returns
    cache.evictWhere((id) => id.endsWith('\x1fcustomer:9'))
    release(Buffer.alloc(32, 1))
    assert.deepEqual(await inFlight, Buffer.alloc(32, 1))
    assert.isFalse(cache.has('sk:merchant:1\x1f7\x1fcustomer:9'))
    assert.equal(cache.size, 0)

    // The next use starts a fresh load instead of joining the revoked one
    const next = cache.through('sk:merchant:1\x1f7\x1fcustomer:9', load)
    release(Buffer.alloc(32, 2))
    assert.deepEqual(await next, Buffer.alloc(32, 2))
    assert.equal(loads, 2)
  })
})
