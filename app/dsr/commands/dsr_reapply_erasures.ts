import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Run after restoring a database backup: erasures made since the backup are applied again. */
export default class DsrReapplyErasures extends BaseCommand {
  static commandName = 'dsr:reapply-erasures'
  static description =
    'After a database restore, shred again every destroyed subject key the backup brought back and delete its rows'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { reapplyErasures } = await import('#dsr/execution/reapply')
    const reapplied = await reapplyErasures({ type: 'system' })
    this.logger.log(JSON.stringify({ reapplied: reapplied.length, subjects: reapplied }))
  }
}
