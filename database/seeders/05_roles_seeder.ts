import { BaseSeeder } from '@adonisjs/lucid/seeders'
import logger from '@adonisjs/core/services/logger'
import policyEnforcer from '#access/services/policy_enforcer'
import { syncRolePermissions } from '#access/services/role_policy'

/**
 * The role -> permission rules (domain `*`) from app/access/roles.ts, in every environment.
 * Idempotent: a re-run with an unchanged roles.ts writes nothing and audits nothing.
 */
export default class RolesSeeder extends BaseSeeder {
  async run() {
    const change = await syncRolePermissions(policyEnforcer)
    logger.info(change, 'role permission rules synced')
  }
}
