import redis from '@adonisjs/redis/services/main'
import env from '#start/env'

/**
 * Forgets login/MFA attempt counters, burnt TOTP codes, the audit's repeat counters and console
 * sessions, so runs do not lock each other out or find their first failure already counted
 * (user ids restart with every fresh schema; Redis does not).
 */
export async function resetRateLimits() {
  const prefix = env.get('QUEUE_PREFIX')
  const patterns = ['limiter*', 'mfa-used:*', 'audit-agg*', 'session:*']
  for (const pattern of patterns.map((suffix) => `${prefix}:${suffix}`)) {
    const keys = await redis.keys(pattern)
    if (keys.length) await redis.del(...keys)
  }
}
