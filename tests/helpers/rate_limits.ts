import redis from '@adonisjs/redis/services/main'
import env from '#start/env'

/**
 * Forgets login/MFA attempt counters, burnt TOTP codes and the audit's repeat counters, so runs
 * do not lock each other out or find their first failure already counted.
 */
export async function resetRateLimits() {
  const prefix = env.get('QUEUE_PREFIX')
  for (const pattern of [`${prefix}:limiter*`, `${prefix}:mfa-used:*`, `${prefix}:audit-agg*`]) {
    const keys = await redis.keys(pattern)
    if (keys.length) await redis.del(...keys)
  }
}
