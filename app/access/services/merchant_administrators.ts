import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import User from '#access/models/user'
import { merchantDomain, rolesOf } from '#access/services/authorization'

/**
 * A merchant's active administrators: who receives contractual notices for the controller
 * (subprocessor changes, Art. 28(2); authority requests, SCC Cl. 15.1).
 */
export async function merchantAdministrators(merchantId: number, client?: QueryClientContract) {
  const users = await User.query(client ? { client } : {})
    .where({ merchantId, kind: 'merchant' })
    .whereNull('disabled_at')
    .select('id')
    .orderBy('id')
  const admins = []
  for (const user of users) {
    const roles = await rolesOf(user.id, merchantDomain(merchantId))
    if (roles.includes('merchant_admin')) admins.push(user)
  }
  return admins
}
