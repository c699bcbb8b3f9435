/*
 * Secrets that ship in `.env.example` for development. Production must never run with them,
 * so boot stops before any provider can use one.
 */
export const DEV_SECRETS: Record<string, string[]> = {
  APP_KEY: ['dev-only-app-key-change-me-0123456789', 'test-only-app-key-0123456789abcdef'],
  // The documented development defaults (.env.example) of the Meta webhook
  META_VERIFY_TOKEN: ['dev-only-meta-verify-token'],
  META_APP_SECRET: ['dev-only-meta-app-secret'],
  INSTAGRAM_APP_SECRET: ['dev-only-meta-app-secret'],
}

interface EnvReader {
  get(key: string): unknown
}

export function devSecretsInUse(env: EnvReader): string[] {
  return Object.entries(DEV_SECRETS)
    .filter(([key, values]) => values.includes(String(env.get(key) ?? '')))
    .map(([key]) => key)
}

export function refuseDevSecretsInProduction(env: EnvReader) {
  if (env.get('NODE_ENV') !== 'production') return
  const offending = devSecretsInUse(env)
  if (offending.length) {
    throw new Error(
      `Refusing to start in production with development secrets: ${offending.join(', ')}. Set real values.`
    )
  }
}
