import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { filtersOf, pageOf } from '#core/pagination'
import { principalOf } from '#access/principal'
import { can } from '#access/services/authorization'
import { replayUnroutable } from '#conversations/events/replay'
import Merchant from '#merchants/models/merchant'
import AuditEvent from '#audit/models/audit_event'
import {
  aiLogFilterValidator,
  channelFilterValidator,
  guardDenialFilterValidator,
  outboxFilterValidator,
  overviewFilterValidator,
  unroutableFilterValidator,
} from '#conversations/console/filters'
import conversationStats from '#conversations/console/conversation_stats'
import { aiLogQuery, aiLogSummary } from '#conversations/processing/ai_processing_log_service'
import { AI_LOG_OUTCOMES } from '#conversations/processing/ai_processing_log'
import { GUARD_DENIAL_REASONS, GUARD_DENIED_ACTION } from '#conversations/guards/purpose_guard'
import { NOT_SENT_REASONS, OUTBOUND_STATES } from '#conversations/outbox/outbound_message'

async function merchantOptions() {
  const merchants = await Merchant.query().select('id', 'legal_name').orderBy('legal_name')
  return merchants.map((m) => ({ value: m.id, label: m.legalName }))
}

const endOfDay = (day: Date) => DateTime.fromJSDate(day, { zone: 'utc' }).plus({ days: 1 })
const startOfDay = (day: Date) => DateTime.fromJSDate(day, { zone: 'utc' })

/**
 * The staff console's view of conversation processing: figures, channels, unroutable events,
 * the AI-processing log, guard denials and the outbox. Never message text, never tokens.
 */
export default class ConversationsConsoleController {
  async overview({ request, view }: HttpContext) {
    const filters = await overviewFilterValidator.validate(request.qs())
    const scope = { merchantId: filters.merchant, days: filters.days ?? 30 }
    return view.render('pages/conversations/console/overview', {
      filters: { ...filters, days: scope.days },
      merchants: await merchantOptions(),
      intents: await conversationStats.messagesByIntent(scope),
      handoffs: await conversationStats.handoffsByReason(scope),
      counts: await conversationStats.counts(scope),
    })
  }

  async channels({ request, view }: HttpContext) {
    const filters = await channelFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    // The token is never read: only whether one is stored
    const query = db
      .from('channel_connections')
      .join('merchants', 'merchants.id', 'channel_connections.merchant_id')
      .select(
        'channel_connections.id',
        'channel_connections.channel',
        'channel_connections.external_id',
        'channel_connections.label',
        'channel_connections.status',
        'channel_connections.created_at',
        'merchants.legal_name as merchant',
        db.raw('channel_connections.access_token is not null as has_token')
      )
      .orderBy('merchants.legal_name')
      .orderBy('channel_connections.id')
    if (filters.merchant) query.where('channel_connections.merchant_id', filters.merchant)
    if (filters.channel) query.where('channel_connections.channel', filters.channel)
    if (filters.status) query.where('channel_connections.status', filters.status)
    const channels = await query.paginate(page, perPage)
    channels.baseUrl(request.url()).queryString(filtersOf(filters))
    return view.render('pages/conversations/console/channels', {
      channels,
      filters,
      merchants: await merchantOptions(),
    })
  }

  async unroutable(ctx: HttpContext) {
    const { request, view } = ctx
    const filters = await unroutableFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    // The payload stays sealed: the list shows what routes it, not what it says
    const query = db
      .from('webhook_events')
      .where('state', 'unroutable')
      .select(
        'id',
        'object',
        'kind',
        'channel_external_id',
        'attempts',
        'error_code',
        'received_at'
      )
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
    if (filters.object) query.where('object', filters.object)
    const events = await query.paginate(page, perPage)
    events.baseUrl(request.url()).queryString(filtersOf(filters))
    return view.render('pages/conversations/console/unroutable', {
      events,
      filters,
      mayReplay: await can(principalOf(ctx), 'channels:manage'),
    })
  }

  /** Sends one unroutable event through processing again (after its channel was connected). */
  async replay(ctx: HttpContext) {
    const id = Number(ctx.params.id)
    const { replayed } = await replayUnroutable([id])
    ctx.session.flash(
      'success',
      ctx.i18n.t(
        replayed ? 'conversations.unroutable.replayed' : 'conversations.unroutable.not_replayed',
        { id }
      )
    )
    return ctx.response.redirect().toRoute('conversations.unroutable')
  }

  async aiLog({ request, view }: HttpContext) {
    const filters = await aiLogFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    const scope = {
      merchantId: filters.merchant,
      from: filters.from ? startOfDay(filters.from) : undefined,
      to: filters.to ? endOfDay(filters.to) : undefined,
    }
    const query = aiLogQuery(scope)
      .preload('merchant')
      .preload('subprocessor')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
    if (filters.outcome) query.where('outcome', filters.outcome)
    if (filters.provider) query.where('provider', filters.provider)
    const logs = await query.paginate(page, perPage)
    logs.baseUrl(request.url()).queryString(filtersOf(request.qs()))
    return view.render('pages/conversations/console/ai_log', {
      logs,
      filters: request.qs(),
      summary: await aiLogSummary(scope),
      merchants: await merchantOptions(),
      outcomes: AI_LOG_OUTCOMES,
    })
  }

  async guardDenials({ request, view }: HttpContext) {
    const filters = await guardDenialFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    const query = AuditEvent.query()
      .where('action', GUARD_DENIED_ACTION)
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
    if (filters.merchant) query.where('merchant_id', filters.merchant)
    if (filters.reason) query.whereRaw(`meta->>'reason' = ?`, [filters.reason])
    if (filters.from) query.where('occurred_at', '>=', startOfDay(filters.from).toSQL()!)
    if (filters.to) query.where('occurred_at', '<', endOfDay(filters.to).toSQL()!)
    const denials = await query.paginate(page, perPage)
    denials.baseUrl(request.url()).queryString(filtersOf(request.qs()))
    const merchants = await merchantOptions()
    return view.render('pages/conversations/console/guard_denials', {
      denials,
      filters: request.qs(),
      merchants,
      merchantNames: Object.fromEntries(merchants.map((m) => [m.value, m.label])),
      reasons: GUARD_DENIAL_REASONS,
    })
  }

  async outbox({ request, view }: HttpContext) {
    const filters = await outboxFilterValidator.validate(request.qs())
    const { page, perPage } = pageOf(filters)
    const query = db
      .from('outbound_messages')
      .join('merchants', 'merchants.id', 'outbound_messages.merchant_id')
      .join('conversations', 'conversations.id', 'outbound_messages.conversation_id')
      .select(
        'outbound_messages.id',
        'outbound_messages.kind',
        'outbound_messages.state',
        'outbound_messages.attempts',
        'outbound_messages.next_attempt_at',
        'outbound_messages.error_code',
        'outbound_messages.error_title',
        'outbound_messages.not_sent_reason',
        'outbound_messages.created_at',
        'outbound_messages.sent_at',
        'conversations.channel',
        'merchants.legal_name as merchant'
      )
      .orderBy('outbound_messages.created_at', 'desc')
      .orderBy('outbound_messages.id', 'desc')
    if (filters.merchant) query.where('outbound_messages.merchant_id', filters.merchant)
    if (filters.state) query.where('outbound_messages.state', filters.state)
    if (filters.reason) query.where('outbound_messages.not_sent_reason', filters.reason)
    const rows = await query.paginate(page, perPage)
    rows.baseUrl(request.url()).queryString(filtersOf(filters))
    return view.render('pages/conversations/console/outbox', {
      rows,
      filters,
      merchants: await merchantOptions(),
      states: OUTBOUND_STATES,
      reasons: NOT_SENT_REASONS,
    })
  }
}
