import redis from '@adonisjs/redis/services/main'
import env from '#start/env'

/** Forgets login/MFA attempt counters and burnt TOTP codes, so runs do not lock each other out. */
export async function resetRateLimits() {
  const prefix = env.get('QUEUE_PREFIX')
  for (const pattern of [`${prefix}:limiter*`, `${prefix}:mfa-used:*`]) {
    const keys = await redis.keys(pattern)
    if (keys.length) await redis.del(...keys)
  }
}
