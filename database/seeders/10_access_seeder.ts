import { DateTime } from 'luxon'
import { BaseSeeder } from '@adonisjs/lucid/seeders'
import Merchant from '#merchants/models/merchant'
import User from '#access/models/user'
import { assignRole } from '#access/services/authorization'
import {
  DEMO_MERCHANTS,
  DEMO_MERCHANT_USERS,
  DEMO_PASSWORD,
  DEMO_STAFF,
} from '#access/demo_accounts'

/** Demo merchants and logins. Idempotent: existing rows are left exactly as they are. */
export default class AccessSeeder extends BaseSeeder {
  static environment = ['development', 'test']

  async run() {
    const merchants = new Map<string, Merchant>()
    for (const demo of DEMO_MERCHANTS) {
      const merchant = await Merchant.firstOrCreate(
        { slug: demo.slug },
        { legalName: demo.legalName, countryCode: demo.countryCode, status: 'active' }
      )
      merchants.set(demo.slug, merchant)
    }

    for (const staff of DEMO_STAFF) {
      const user = await this.ensureUser(staff.email, {
        kind: 'staff',
        merchantId: null,
        fullName: staff.fullName,
        mfaSecret: staff.totpSecret,
        mfaEnabledAt: DateTime.now(),
      })
      await assignRole(user.id, staff.role, user.domain)
    }

    for (const demo of DEMO_MERCHANT_USERS) {
      const merchant = merchants.get(demo.merchantSlug)!
      const user = await this.ensureUser(demo.email, {
        kind: 'merchant',
        merchantId: merchant.id,
        fullName: demo.fullName,
        ...(demo.totpSecret ? { mfaSecret: demo.totpSecret, mfaEnabledAt: DateTime.now() } : {}),
      })
      await assignRole(user.id, demo.role, merchant.domain)
    }
  }

  /** Looked up through `findByEmail`, the one e-mail lookup (the column may become a blind index). */
  private async ensureUser(email: string, attributes: Partial<User>) {
    const existing = await User.findByEmail(email)
    if (existing) return existing
    return User.create({ ...attributes, email, password: DEMO_PASSWORD })
  }
}
