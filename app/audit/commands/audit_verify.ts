import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class AuditVerify extends BaseCommand {
  static commandName = 'audit:verify'
  static description = 'Verify the audit trail hash chain and report the first broken link'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: auditTrail } = await import('#audit/services/audit_trail')
    const verdict = await auditTrail.verify()
    if (verdict.valid) {
      this.logger.success(`audit chain intact: ${verdict.checked} events, head ${verdict.lastHash}`)
      if (verdict.checkpoint) {
        this.logger.info(
          `matches the signed checkpoint of ${verdict.checkpoint.takenAt} (event ${verdict.checkpoint.eventId}, ${verdict.checkpoint.source})`
        )
      } else {
        this.logger.warning('no signed checkpoint yet: a deleted tail would go unnoticed')
      }
      return
    }
    this.logger.error(
      `audit chain broken at event ${verdict.brokenAt} (${verdict.reason}); ${verdict.checked} events before it verified`
    )
    this.exitCode = 1
  }
}
