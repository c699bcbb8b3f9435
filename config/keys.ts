import env from '#start/env'
import app from '@adonisjs/core/services/app'

/** Key management: which KMS wraps the merchant keys, and how long unwrapped keys stay in memory. */
const keysConfig = {
  provider: env.get('KMS_PROVIDER', 'local'),
  local: {
    directory: app.makePath(env.get('STORAGE_PATH'), 'keys'),
    masterKeys: env.get('KMS_LOCAL_MASTER_KEYS'),
  },
  aws: {
    region: env.get('KMS_AWS_REGION', 'eu-west-1'),
    endpoint: env.get('KMS_AWS_ENDPOINT') || undefined,
    aliasPrefix: env.get('KMS_AWS_ALIAS_PREFIX', 'alias/conversera-hub'),
    platformKeyId: env.get('KMS_AWS_PLATFORM_KEY_ID') || undefined,
  },
  timeoutMs: env.get('KMS_TIMEOUT_MS', 3000),
  deletionWindowDays: env.get('KMS_DELETION_WINDOW_DAYS', 30),
  cache: {
    ttlMs: env.get('KEY_CACHE_TTL_SECONDS', 300) * 1000,
    maxUses: env.get('KEY_CACHE_MAX_USES', 100_000),
    maxEntries: env.get('KEY_CACHE_MAX_ENTRIES', 10_000),
    sweepMs: 60_000,
  },
  /**
   * How stale another process's view of a scope (current version, destruction) may be. Tests
   * re-read every time: their rolled-back global transactions can remove a scope under a warm view.
   */
  scopeRefreshMs: app.inTest ? 0 : 2000,
}

export default keysConfig
