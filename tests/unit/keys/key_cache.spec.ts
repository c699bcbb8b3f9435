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
