import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { refusedInProduction } from '#access/commands/dev_only'

export default class DemoLogins extends BaseCommand {
  static commandName = 'demo:logins'
  static description =
    'Print the console URL and the demo logins with their TOTP secrets (development only)'
  static options: CommandOptions = { startApp: true }

  async run() {
    if (refusedInProduction(this)) return
    const { default: env } = await import('#start/env')
    const { DEMO_PASSWORD, DEMO_STAFF, DEMO_MERCHANT_USERS } = await import('#access/demo_accounts')

    this.logger.log(`Console: ${env.get('APP_URL')}/login`)
    this.logger.log(`Password for every demo login: ${DEMO_PASSWORD}`)
    const table = this.ui.table()
    table.head(['E-mail', 'Role', 'TOTP secret'])
    for (const staff of DEMO_STAFF) table.row([staff.email, staff.role, staff.totpSecret])
    for (const user of DEMO_MERCHANT_USERS) {
      table.row([
        user.email,
        `${user.role} (${user.merchantSlug})`,
        user.totpSecret ?? 'none (optional for agents)',
      ])
    }
    table.render()
    this.logger.log('Current code for a login with a secret: node ace mfa:code <e-mail>')
  }
}
