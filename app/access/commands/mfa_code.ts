import { args, BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { refusedInProduction } from '#access/commands/dev_only'

export default class MfaCode extends BaseCommand {
  static commandName = 'mfa:code'
  static description = 'Print the current TOTP code of a user (development only)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'E-mail of the user' })
  declare email: string

  async run() {
    if (refusedInProduction(this)) return
    const { default: User } = await import('#access/models/user')
    const { default: mfa } = await import('#access/services/mfa')
    const user = await User.findByEmail(this.email)
    if (!user?.mfaSecret) {
      this.logger.error('No user with that e-mail has two-factor authentication set up.')
      this.exitCode = 1
      return
    }
    this.logger.log(mfa.currentCode(user.mfaSecret))
  }
}
