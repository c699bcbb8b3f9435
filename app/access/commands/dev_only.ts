import type { BaseCommand } from '@adonisjs/core/ace'

/** Demo helpers print secrets; in production they must refuse before touching anything. */
export function refusedInProduction(command: BaseCommand) {
  if (!command.app.inProduction) return false
  command.logger.error(
    `${command.commandName} is for development only and refuses to run in production.`
  )
  command.exitCode = 1
  return true
}
