import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class KeysRotate extends BaseCommand {
  static commandName = 'keys:rotate'
  static description =
    'Rotate a merchant (or the platform) data key: new writes use the new version at once, a job re-encrypts the rest'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Slug of the merchant whose data key to rotate' })
  declare merchant?: string

  @flags.boolean({
    description: 'Rotate the platform scope (staff accounts) instead of a merchant',
  })
  declare platform?: boolean

  @flags.boolean({
    description: 'Run the re-encryption here instead of queueing the keys.rotate job',
  })
  declare inline?: boolean

  async run() {
    if (!!this.merchant === !!this.platform) {
      this.logger.error('Pass exactly one of --merchant <slug> or --platform')
      this.exitCode = 1
      return
    }
    const { default: Merchant } = await import('#merchants/models/merchant')
    const { default: keyRotation } = await import('#keys/services/key_rotation')
    let merchantId: number | null = null
    if (this.merchant) {
      const merchant = await Merchant.findBy('slug', this.merchant)
      if (!merchant) {
        this.logger.error(`No merchant with slug "${this.merchant}"`)
        this.exitCode = 1
        return
      }
      merchantId = merchant.id
    }
    try {
      const rotation = await keyRotation.start(
        merchantId,
        { type: 'system', id: 'cli' },
        { enqueue: !this.inline }
      )
      this.logger.success(
        `${rotation.scope}: data key v${rotation.toVersion} now seals new writes (rotation #${rotation.id})`
      )
      if (!this.inline) {
        this.logger.info(
          'Re-encryption queued as keys.rotate; progress is on the /keys console page'
        )
        return
      }
      const done = await keyRotation.run(rotation.id, {
        progress: async (percent) => {
          this.logger.info(`re-encrypting… ${percent}%`)
        },
      })
      this.logger.success(
        `rotation #${done.id} completed: ${done.subjectKeysDone} subject keys re-wrapped, ${done.rowsDone} rows re-encrypted`
      )
    } catch (error) {
      this.logger.error((error as Error).message)
      this.exitCode = 1
    }
  }
}
