import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { filtersOf, pageOf } from '#core/pagination'
import { NotFound } from '#core/errors'
import { principalOf } from '#access/principal'
import { can } from '#access/services/authorization'
import inbox, { agentWindow } from '#conversations/inbox/inbox_service'
import { agentReplyValidator, inboxFilterValidator } from '#conversations/inbox/inbox_validators'
import aiInstructions, { productsText } from '#conversations/inbox/ai_instructions'
import { aiInstructionsValidator } from '#conversations/inbox/ai_instructions_validator'
import { INTENTS, PAYMENT_METHODS } from '#conversations/ai/types'

function merchantIdOf(ctx: HttpContext) {
  const merchantId = principalOf(ctx).merchantId
  if (!merchantId) throw new NotFound('merchant')
  return merchantId
}

/** The merchant portal's conversation pages: the agents' inbox, AI instructions, channels. */
export default class InboxController {
  async index(ctx: HttpContext) {
    const principal = principalOf(ctx)
    const filters = await inboxFilterValidator.validate(ctx.request.qs())
    const { page, perPage } = pageOf(filters)
    const conversations = await inbox.list(principal, filters).paginate(page, perPage)
    conversations.baseUrl(ctx.request.url()).queryString(filtersOf(filters))
    return ctx.view.render('pages/conversations/portal/inbox', {
      conversations,
      filters: { mode: filters.mode ?? 'human' },
      rightsRequests: await inbox.rightsRequests(principal),
      agentWindow,
    })
  }

  async show(ctx: HttpContext) {
    const principal = principalOf(ctx)
    const opened = await inbox.open(principal, Number(ctx.params.id))
    return ctx.view.render('pages/conversations/portal/conversation', {
      ...opened,
      mayReply: await can(principal, 'inbox:reply'),
    })
  }

  async reply(ctx: HttpContext) {
    const { text } = await ctx.request.validateUsing(agentReplyValidator)
    await inbox.reply(principalOf(ctx), Number(ctx.params.id), text)
    ctx.session.flash('success', ctx.i18n.t('conversations.inbox.reply_queued'))
    return ctx.response.redirect().toRoute('portal.inbox.show', { id: ctx.params.id })
  }

  async handBack(ctx: HttpContext) {
    await inbox.handBack(principalOf(ctx), Number(ctx.params.id))
    ctx.session.flash('success', ctx.i18n.t('conversations.inbox.handed_back'))
    return ctx.response.redirect().toRoute('portal.inbox.index')
  }

  async editInstructions(ctx: HttpContext) {
    const row = await aiInstructions.forMerchant(merchantIdOf(ctx))
    return ctx.view.render('pages/conversations/portal/ai_instructions', {
      values: {
        products: productsText(row?.products ?? []),
        returnsWindowDays: row?.returnsPolicy?.windowDays ?? '',
        returnsNote: row?.returnsPolicy?.note?.en ?? '',
        deliveryMinDays: row?.deliveryPolicy?.minDays ?? '',
        deliveryMaxDays: row?.deliveryPolicy?.maxDays ?? '',
        deliveryFeeEgp: row?.deliveryPolicy?.feeEgp ?? '',
        deliveryFreeAboveEgp: row?.deliveryPolicy?.freeAboveEgp ?? '',
        deliveryCities: (row?.deliveryPolicy?.cities ?? []).join('\n'),
        deliveryNote: row?.deliveryPolicy?.note?.en ?? '',
        paymentNote: row?.paymentPolicy?.note?.en ?? '',
        tone: row?.tone ?? 'friendly',
        escalationKeywords: (row?.escalationRules?.keywords ?? []).join('\n'),
        minConfidence: row?.escalationRules?.minConfidence ?? '',
      },
      chosen: {
        paymentMethods: row?.paymentPolicy?.methods ?? [],
        languages: row?.languages ?? ['ar', 'en'],
        escalationIntents: row?.escalationRules?.intents ?? ['complaint', 'human_request'],
      },
      paymentMethods: PAYMENT_METHODS,
      intents: INTENTS,
    })
  }

  async updateInstructions(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(aiInstructionsValidator)
    await aiInstructions.save(merchantIdOf(ctx), payload)
    ctx.session.flash('success', ctx.i18n.t('conversations.instructions.saved'))
    return ctx.response.redirect().toRoute('portal.ai_instructions.edit')
  }

  async channels(ctx: HttpContext) {
    const merchantId = merchantIdOf(ctx)
    // Whether a token is stored, never the token
    const channels = await db
      .from('channel_connections')
      .where('merchant_id', merchantId)
      .select(
        'id',
        'channel',
        'external_id',
        'label',
        'status',
        'updated_at',
        db.raw('access_token is not null as has_token')
      )
      .orderBy('id')
    const held = await db
      .from('outbound_messages')
      .where('merchant_id', merchantId)
      .where('state', 'held')
      .count('* as total')
    return ctx.view.render('pages/conversations/portal/channels', {
      channels,
      held: Number(held[0].total),
    })
  }
}
