import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { DEFAULT_QUEUE, queueNamed } from '#core/queue'

export type CheckResult = { up: boolean; detail?: Record<string, unknown>; error?: string }
type Check = () => Promise<CheckResult>

const TIMEOUT_MS = 2000

/* Modules add their dependencies (the KMS, for one) with registerHealthCheck. */
const checks = new Map<string, Check>([
  [
    'postgres',
    async () => {
      await db.rawQuery('select 1')
      return { up: true }
    },
  ],
  ['redis', async () => ({ up: (await redis.ping()) === 'PONG' })],
  [
    'queue',
    async () => {
      const queue = queueNamed(DEFAULT_QUEUE)
      const [counts, workers] = await Promise.all([queue.getJobCounts(), queue.getWorkersCount()])
      return { up: true, detail: { ...counts, workers } }
    },
  ],
])

/** Adds a check; the returned function removes it again. */
export function registerHealthCheck(name: string, check: Check) {
  checks.set(name, check)
  return () => {
    if (checks.get(name) === check) checks.delete(name)
  }
}

function withTimeout(check: Check): Promise<CheckResult> {
  return Promise.race([
    check().catch((error: Error) => ({ up: false, error: error.message.slice(0, 200) })),
    new Promise<CheckResult>((resolve) =>
      setTimeout(
        () => resolve({ up: false, error: `no answer within ${TIMEOUT_MS} ms` }),
        TIMEOUT_MS
      ).unref()
    ),
  ])
}

export async function healthReport() {
  const names = [...checks.keys()]
  const results = await Promise.all(names.map((name) => withTimeout(checks.get(name)!)))
  const services = Object.fromEntries(names.map((name, i) => [name, results[i]]))
  const down = names.filter((_, i) => !results[i].up)
  return { status: down.length ? 'down' : 'up', down, services }
}
