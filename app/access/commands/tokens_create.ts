import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class TokensCreate extends BaseCommand {
  static commandName = 'tokens:create'
  static description = 'Create a merchant API token and print it (shown once)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Slug of the merchant', required: true })
  declare merchant: string

  @flags.string({ description: 'Label of the token (what uses it)', required: true })
  declare name: string

  @flags.array({ description: 'Scopes, comma separated (default: every grantable scope)' })
  declare scopes?: string[]

  @flags.number({ description: 'Days until it expires', default: 90 })
  declare days: number

  async run() {
    const { DateTime } = await import('luxon')
    const { default: Merchant } = await import('#merchants/models/merchant')
    const { default: apiTokens, grantableScopes } = await import('#access/services/api_tokens')
    const { DomainError } = await import('#core/errors')

    const merchant = await Merchant.findBy('slug', this.merchant)
    if (!merchant) {
      this.logger.error(`No merchant with slug "${this.merchant}".`)
      this.exitCode = 1
      return
    }
    const scopes = (this.scopes ?? grantableScopes())
      .flatMap((scope) => scope.split(','))
      .map((s) => s.trim())
      .filter(Boolean)
    if (!Number.isInteger(this.days) || this.days < 1 || this.days > 365) {
      this.logger.error('--days must be a whole number from 1 to 365.')
      this.exitCode = 1
      return
    }
    try {
      const { token, plaintext } = await apiTokens.create({
        merchant,
        name: this.name,
        scopes,
        expiresAt: DateTime.now().plus({ days: this.days }),
        createdBy: null,
        actor: { type: 'system', id: 'cli' },
      })
      this.logger.info(
        `Token ${token.id} for ${merchant.slug}, scopes ${token.scopes.join(', ')}, expires ${token.expiresAt!.toUTC().toISO()}`
      )
      this.logger.log(plaintext)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      this.logger.error(error.message)
      this.exitCode = 1
    }
  }
}
