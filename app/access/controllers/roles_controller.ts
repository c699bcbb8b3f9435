import type { HttpContext } from '@adonisjs/core/http'
import { ROLE_PERMISSIONS } from '#access/roles'
import { PLATFORM_DOMAIN, rolesForDomain } from '#access/services/authorization'
import { principalOf } from '#access/principal'
import { usersByRole } from '#access/services/dashboard'

/** The role -> permission table (from roles.ts) with how many users hold each role. */
export default class RolesController {
  async index(ctx: HttpContext) {
    const principal = principalOf(ctx)
    const counts = await usersByRole(principal)
    const holders = new Map(counts.map((row) => [row.role, row.users]))
    // Staff see every role; a merchant admin the roles that exist in a merchant
    const names =
      principal.domain === PLATFORM_DOMAIN
        ? Object.keys(ROLE_PERMISSIONS)
        : rolesForDomain(principal.domain)
    const roles = names.map((role) => ({
      role,
      permissions: [...(ROLE_PERMISSIONS[role as keyof typeof ROLE_PERMISSIONS] ?? [])].sort(),
      holders: holders.get(role) ?? 0,
    }))
    const permissions = [...new Set(roles.flatMap((row) => row.permissions))].sort()
    return ctx.view.render('pages/access/roles/index', { roles, permissions })
  }
}
