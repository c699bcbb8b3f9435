import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

const server = {
  host: env.get('REDIS_HOST'),
  port: env.get('REDIS_PORT'),
  password: env.get('REDIS_PASSWORD', ''),
  db: env.get('REDIS_DB', 0),
  maxRetriesPerRequest: 2,
  retryStrategy(times: number) {
    return times > 10 ? null : times * 50
  },
}

const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: { ...server, keyPrefix: '' },
    /** Console sessions and their per-user index, apart from other hubs sharing this Redis. */
    session: { ...server, keyPrefix: `${env.get('QUEUE_PREFIX')}:session:` },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
