/*
 * Every variable the hub reads is declared here; `.env.example` documents each one.
 * The dev-default guard refuses to boot production with the secrets from `.env.example`.
 */
import { Env } from '@adonisjs/core/env'
import { refuseDevSecretsInProduction } from '#core/dev_secrets'
import { parseTrustedProxies } from '#access/trusted_proxies'

const env = await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  APP_URL: Env.schema.string({ format: 'url', tld: false }),
  APP_KEY: Env.schema.string(),
  LOG_LEVEL: Env.schema.enum([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  /** Sessions are kept in Redis; `memory` only for a throwaway single process. */
  SESSION_DRIVER: Env.schema.enum.optional(['redis', 'memory'] as const),
  /** Reverse proxies allowed to set X-Forwarded-For: addresses, CIDR ranges or `loopback`. */
  TRUSTED_PROXIES: (_key: string, value?: string) => parseTrustedProxies(value),

  DB_HOST: Env.schema.string({ format: 'host' }),
  DB_PORT: Env.schema.number(),
  DB_USER: Env.schema.string(),
  DB_PASSWORD: Env.schema.string.optional(),
  DB_DATABASE: Env.schema.string(),

  REDIS_HOST: Env.schema.string({ format: 'host' }),
  REDIS_PORT: Env.schema.number(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  REDIS_DB: Env.schema.number.optional(),
  QUEUE_PREFIX: Env.schema.string(),

  STORAGE_PATH: Env.schema.string(),
  ORGANISATION_NAME: Env.schema.string(),
  /** Art. 30(2)(a) contacts printed on the RoPA: processor address, DPO name and e-mail. */
  PROCESSOR_ADDRESS: Env.schema.string(),
  DPO_NAME: Env.schema.string(),
  DPO_EMAIL: Env.schema.string({ format: 'email' }),
  /** ES256 private JWK that signs report manifests; defaults to STORAGE_PATH/keys/report-signing.jwk */
  REPORT_SIGNING_KEY_PATH: Env.schema.string.optional(),

  /* Key management (#keys); each variable is described in .env.example */
  KMS_PROVIDER: Env.schema.enum.optional(['local', 'aws'] as const),
  KMS_LOCAL_MASTER_KEYS: Env.schema.string.optional(),
  KMS_AWS_REGION: Env.schema.string.optional(),
  KMS_AWS_ENDPOINT: Env.schema.string.optional({ format: 'url', tld: false }),
  KMS_AWS_ALIAS_PREFIX: Env.schema.string.optional(),
  KMS_AWS_PLATFORM_KEY_ID: Env.schema.string.optional(),
  KMS_TIMEOUT_MS: Env.schema.number.optional(),
  KMS_DELETION_WINDOW_DAYS: Env.schema.number.optional(),
  /** Days between a merchant's termination request and the deletion of its data (default 30). */
  TERMINATION_GRACE_DAYS: Env.schema.number.optional(),
  KEY_CACHE_TTL_SECONDS: Env.schema.number.optional(),
  KEY_CACHE_MAX_USES: Env.schema.number.optional(),
  KEY_CACHE_MAX_ENTRIES: Env.schema.number.optional(),

  /* AI gateway (#conversations/ai): local = offline classifier; openai = only with a key */
  AI_PROVIDER: Env.schema.enum.optional(['local', 'openai'] as const),
  OPENAI_API_KEY: Env.schema.string.optional(),
  OPENAI_BASE_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  OPENAI_MODEL: Env.schema.string.optional(),
  OPENAI_TIMEOUT_MS: Env.schema.number.optional(),

  /* Data-subject requests (#dsr) and working-day calendars (config/calendars.ts) */
  DSR_INTERNAL_MARGIN_WORKING_DAYS: Env.schema.number.optional(),
  CALENDAR_EXTRA_HOLIDAYS_EG: Env.schema.string.optional(),
  CALENDAR_EXTRA_HOLIDAYS_EU: Env.schema.string.optional(),
  /** Development only: let merchant callback URLs be http or point at loopback/private addresses */
  DSR_CALLBACKS_ALLOW_PRIVATE: Env.schema.boolean.optional(),
  /* Meta webhooks (#conversations/webhooks); unset = every delivery is refused (fail closed) */
  META_VERIFY_TOKEN: Env.schema.string.optional(),
  META_APP_SECRET: Env.schema.string.optional(),
  INSTAGRAM_APP_SECRET: Env.schema.string.optional(),

  /* Meta Graph API for outbound messages (#conversations/graph) */
  META_GRAPH_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  META_GRAPH_VERSION: Env.schema.string.optional(),
})

refuseDevSecretsInProduction(env)

export default env
