import { args, BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Grants (or with --revoke takes away) a role from the command line: how the first platform
 * admin is made in a fresh production install, and an operator's break-glass. Audited like a
 * change made in the console, and every running process picks it up through NOTIFY.
 */
export default class RolesAssign extends BaseCommand {
  static commandName = 'roles:assign'
  static description = "Assign a role to a user (in the user's own domain); --revoke removes it"
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'E-mail of the user' })
  declare email: string

  @args.string({ description: 'Role name (see app/access/roles.ts)' })
  declare role: string

  @flags.boolean({ description: 'Revoke the role instead of assigning it', default: false })
  declare revoke: boolean

  async run() {
    const { default: User } = await import('#access/models/user')
    const { default: authorization } = await import('#access/services/authorization')
    const { DomainError } = await import('#core/errors')

    const user = await User.findByEmail(this.email)
    if (!user) {
      this.logger.error('No user with that e-mail.')
      this.exitCode = 1
      return
    }
    try {
      const changed = this.revoke
        ? await authorization.revokeRole(user.id, this.role, user.domain)
        : await authorization.assignRole(user.id, this.role, user.domain)
      const verb = this.revoke ? 'revoked from' : 'assigned to'
      this.logger.success(
        changed
          ? `Role ${this.role} ${verb} user ${user.id} in ${user.domain}.`
          : `Nothing to do: user ${user.id} ${this.revoke ? 'does not hold' : 'already holds'} ${this.role}.`
      )
      const roles = await authorization.rolesOf(user.id, user.domain)
      this.logger.info(`Roles now: ${roles.join(', ') || 'none'}`)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      this.logger.error(error.message)
      this.exitCode = 1
    }
  }
}
