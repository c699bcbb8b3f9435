import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class AuditCheckpoint extends BaseCommand {
  static commandName = 'audit:checkpoint'
  static description = 'Sign a checkpoint of the audit chain head now (database and storage)'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: auditCheckpoints } = await import('#audit/services/audit_checkpoints')
    const checkpoint = (await auditCheckpoints.take())!
    this.logger.success(
      `checkpoint ${checkpoint.id}: event ${checkpoint.eventId}, head ${checkpoint.eventHash}, signed by key ${checkpoint.keyId}`
    )
  }
}
