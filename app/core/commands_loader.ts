/*
 * Ace loader for the commands that live inside the domain modules. Add a command to this list;
 * `node ace list` then shows it.
 */
import type { BaseCommand } from '@adonisjs/core/ace'
import type { CommandMetaData } from '@adonisjs/core/types/ace'

const commands: Array<() => Promise<{ default: typeof BaseCommand }>> = [
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
  () => import('#data_map/commands/datamap_check'),
  () => import('#keys/commands/keys_rotate'),
  () => import('#keys/commands/keys_rotate_master'),
  () => import('#keys/commands/keys_destroy_merchant'),
  () => import('#keys/commands/bench_crypto'),
  () => import('#conversations/commands/eval_intents'),
]

let loaded: Array<typeof BaseCommand> | undefined

async function all() {
  if (!loaded) {
    const modules = await Promise.all(commands.map((load) => load()))
    loaded = modules.map((module) => module.default)
  }
  return loaded
}

export async function getMetaData(): Promise<CommandMetaData[]> {
  const loadedCommands = await all()
  return loadedCommands.map((command) => command.serialize())
}

export async function getCommand(metaData: CommandMetaData) {
  const loadedCommands = await all()
  return loadedCommands.find((command) => command.commandName === metaData.commandName) ?? null
}
