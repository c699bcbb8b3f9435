import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Connects a merchant's WhatsApp number or Instagram account from the command line:
 * `node ace channels:connect --merchant <slug> --whatsapp <phone_number_id>` (or
 * `--instagram <account_id>`), optionally `--token` and `--label`. Audited as the operator's
 * (system) action; the token is sealed under the merchant's key.
 */
export default class ChannelsConnect extends BaseCommand {
  static commandName = 'channels:connect'
  static description = "Connect a merchant's WhatsApp number or Instagram account to the hub"
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Slug of the merchant' })
  declare merchant?: string

  @flags.string({ description: 'WhatsApp phone_number_id' })
  declare whatsapp?: string

  @flags.string({ description: 'Instagram professional account id' })
  declare instagram?: string

  @flags.string({ description: 'Graph API access token (without one, replies wait in the outbox)' })
  declare token?: string

  @flags.string({ description: 'A name for the channel, shown in the console' })
  declare label?: string

  async run() {
    const { default: Merchant } = await import('#merchants/models/merchant')
    const { connectChannel } = await import('#conversations/channels/connect_channel')
    const { DomainError } = await import('#core/errors')

    const merchant = this.merchant ? await Merchant.findBy('slug', this.merchant) : null
    if (!merchant) {
      this.logger.error(`No merchant with slug "${this.merchant ?? ''}"`)
      this.exitCode = 1
      return
    }
    if (Boolean(this.whatsapp) === Boolean(this.instagram)) {
      this.logger.error(
        'Give exactly one of --whatsapp <phone_number_id> or --instagram <account_id>'
      )
      this.exitCode = 1
      return
    }
    const channel = this.whatsapp ? 'whatsapp' : 'instagram'
    try {
      const connection = await connectChannel(
        merchant,
        {
          channel,
          externalId: (this.whatsapp ?? this.instagram)!,
          label: this.label,
          accessToken: this.token,
        },
        { type: 'system' }
      )
      this.logger.success(
        `Connected ${channel} ${connection.externalId} to ${merchant.slug} (channel ${connection.id}, ` +
          `${connection.accessToken ? 'token set' : 'no token: replies stay in the outbox'}).`
      )
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      this.logger.error(error.message)
      this.exitCode = 1
    }
  }
}
