import env from '#start/env'
import type { WebhookObject } from '#conversations/models/webhook_event'

/*
 * Meta's webhook settings. Unset secrets refuse every delivery (fail closed). WhatsApp
 * deliveries are signed with the Meta app's secret; Instagram ones with the Instagram app's
 * secret when the account uses Instagram Login, or with the Meta app's (Facebook Login), so both
 * are accepted for `instagram`.
 */
export function webhookSecretsFor(object: WebhookObject | null): string[] {
  const meta = env.get('META_APP_SECRET')
  const instagram = env.get('INSTAGRAM_APP_SECRET') || meta
  const secrets = object === 'instagram' ? [instagram, meta] : [meta]
  return [...new Set(secrets.filter((s): s is string => Boolean(s)))]
}

export function webhookVerifyToken(): string | null {
  return env.get('META_VERIFY_TOKEN') || null
}
