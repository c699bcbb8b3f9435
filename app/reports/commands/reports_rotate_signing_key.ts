import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * `reports:rotate-signing-key`: a new ES256 key signs from now on; the old one's public half is
 * kept (`/reports/signing-keys`), so what it signed still verifies. Audited.
 */
export default class ReportsRotateSigningKey extends BaseCommand {
  static commandName = 'reports:rotate-signing-key'
  static description =
    'Replace the report signing key; reports, receipts and checkpoints signed before keep verifying'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: reportSigner } = await import('#reports/services/report_signer')
    const { default: auditTrail } = await import('#audit/services/audit_trail')
    const rotated = await reportSigner.rotate()
    await auditTrail.record({
      action: 'reports.signing_key_rotated',
      actor: { type: 'system', id: 'cli' },
      target: { type: 'signing_key', id: rotated.kid },
      meta: rotated,
    })
    this.logger.success(`New signing key ${rotated.kid}; ${rotated.retiredKid} retired`)
  }
}
