/*
 * Every ace command of the modules. Add a command here and nowhere else; `node ace list` then
 * shows it (`app/core/commands_loader.ts` serves this list to ace, as `#core/queue` serves
 * `start/jobs.ts` to the worker).
 */
import type { BaseCommand } from '@adonisjs/core/ace'

export const commands: Array<() => Promise<{ default: typeof BaseCommand }>> = [
  () => import('#access/commands/tokens_create'),
  () => import('#access/commands/mfa_code'),
  () => import('#access/commands/demo_logins'),
  () => import('#access/commands/roles_assign'),
  () => import('#core/commands/queue_work'),
  () => import('#core/commands/db_prepare'),
  () => import('#audit/commands/audit_verify'),
  () => import('#audit/commands/audit_checkpoint'),
  () => import('#reports/commands/reports_generate'),
  () => import('#reports/commands/reports_verify'),
  () => import('#reports/commands/reports_rotate_signing_key'),
  () => import('#data_map/commands/datamap_check'),
  () => import('#keys/commands/keys_rotate'),
  () => import('#keys/commands/keys_rotate_master'),
  () => import('#keys/commands/keys_destroy_merchant'),
  () => import('#keys/commands/bench_crypto'),
  () => import('#conversations/commands/eval_intents'),
  () => import('#conversations/commands/channels_connect'),
  () => import('#government_requests/commands/government_disclose'),
  () => import('#dsr/commands/dsr_reapply_erasures'),
  () => import('#dsr/commands/bench_dsr'),
  () => import('#conversations/commands/bench_webhooks'),
]
