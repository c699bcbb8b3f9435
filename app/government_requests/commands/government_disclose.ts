import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { DomainError } from '#core/errors'

/**
 * Builds a disclosure package from the shell, for the legal team's scripted deliveries. It is
 * no back door: it calls the same service as the console, the API and the job, which refuses
 * without a recorded instrument, a completed assessment and an approved decision.
 */
export default class GovernmentDisclose extends BaseCommand {
  static commandName = 'government:disclose'
  static description = 'Build the disclosure package of an authority request (approved scope only)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Request reference, e.g. GR-2026-0001' })
  declare reference: string

  @flags.number({ description: 'Account number of the legal team member building it' })
  declare user?: number

  @flags.array({
    description: 'A field: <identifier number>:<merchant id>:<category>, repeatable',
  })
  declare field?: string[]

  async run() {
    const { default: User } = await import('#access/models/user')
    const { default: register } = await import('#government_requests/services/register')
    const { default: requestDisclosures } = await import(
      '#government_requests/services/disclosures'
    )
    const { PLATFORM_DOMAIN, rolesOf } = await import('#access/services/authorization')
    const { ROLE_PERMISSIONS } = await import('#access/roles')
    const user = this.user ? await User.find(this.user) : null
    const roles = user ? await rolesOf(user.id, PLATFORM_DOMAIN) : []
    const allowed = roles.some((role) =>
      ROLE_PERMISSIONS[role as keyof typeof ROLE_PERMISSIONS]?.includes(
        'government_requests:disclose'
      )
    )
    if (!user || user.disabledAt || !allowed) {
      this.logger.error('--user must be the account number of an active legal counsel or DPO')
      this.exitCode = 1
      return
    }
    try {
      const request = await register.findByReference(this.reference)
      const fields = (this.field ?? []).map((f) => {
        const [identifier, merchant, category] = f.split(':')
        return `${Number(identifier) - 1}:${merchant}:${category}`
      })
      const { disclosure, deliveryKey } = await requestDisclosures.build(
        request,
        { fields },
        { actorUserId: user.id, channel: 'command', actor: { type: 'user', id: user.id } }
      )
      this.logger.success(`package ${disclosure.id} built: ${disclosure.jwePath}`)
      this.logger.info(`JWE sha256 ${disclosure.jweSha256}`)
      this.logger.info(`content key (send separately): ${deliveryKey}`)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      this.logger.error(`${error.code}: ${error.message}`)
      this.exitCode = 1
    }
  }
}
