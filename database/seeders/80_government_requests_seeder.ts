import { BaseSeeder } from '@adonisjs/lucid/seeders'
import User from '#access/models/user'
import Merchant from '#merchants/models/merchant'
import { DEMO_MERCHANTS } from '#access/demo_accounts'
import { seedDemoCases } from '#government_requests/demo_cases'

/** Five example authority requests, so a newcomer sees the module at work (`npm start`). */
export default class GovernmentRequestsSeeder extends BaseSeeder {
  static environment = ['development']

  async run() {
    const counsel = await User.findByEmail('counsel@conversera.test')
    const dpo = await User.findByEmail('dpo@conversera.test')
    const merchants = await Merchant.query().whereIn(
      'slug',
      DEMO_MERCHANTS.map((m) => m.slug)
    )
    if (!counsel || !dpo || !merchants.length) return
    await seedDemoCases(merchants, { counsel, dpo })
  }
}
