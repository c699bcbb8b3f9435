import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Termination: crypto-shreds a merchant whose contract has ended. Irreversible after the window. */
export default class KeysDestroyMerchant extends BaseCommand {
  static commandName = 'keys:destroy-merchant'
  static description =
    "Schedule deletion of a terminated merchant's KMS key and drop its wrapped keys (crypto-shredding)"
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Slug of the merchant being terminated' })
  declare merchant?: string

  @flags.number({
    description: 'Pending window in days (7-30); defaults to KMS_DELETION_WINDOW_DAYS',
  })
  declare window?: number

  @flags.boolean({
    description: 'Required: confirms that the merchant data must become unreadable',
  })
  declare confirm?: boolean

  async run() {
    const { default: Merchant } = await import('#merchants/models/merchant')
    const { default: keyDestruction } = await import('#keys/services/key_destruction')
    const merchant = this.merchant ? await Merchant.findBy('slug', this.merchant) : null
    if (!merchant) {
      this.logger.error(`No merchant with slug "${this.merchant ?? ''}"`)
      this.exitCode = 1
      return
    }
    // Shredding an active merchant would break a live service: terminate it first
    if (merchant.status === 'active') {
      this.logger.error(
        `${merchant.slug} is still active; only a terminating or terminated merchant can be shredded`
      )
      this.exitCode = 1
      return
    }
    if (this.window !== undefined && (this.window < 7 || this.window > 30)) {
      this.logger.error('--window must be between 7 and 30 days')
      this.exitCode = 1
      return
    }
    if (!this.confirm) {
      this.logger.error(
        'Add --confirm: every value sealed for this merchant becomes unreadable, backups included'
      )
      this.exitCode = 1
      return
    }
    try {
      const summary = await keyDestruction.destroyMerchantKeys(merchant.id, {
        actor: { type: 'system', id: 'cli' },
        pendingWindowDays: this.window,
      })
      this.logger.success(
        `${merchant.slug}: KMS key deletion scheduled for ${summary.deletionDate}; data key versions ` +
          `${summary.dataKeyVersions.join(', ') || '-'} and ${summary.subjectKeysDestroyed} subject keys dropped`
      )
    } catch (error) {
      this.logger.error((error as Error).message)
      this.exitCode = 1
    }
  }
}
