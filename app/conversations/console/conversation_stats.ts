import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'

export interface StatsScope {
  merchantId?: number
  days: number
}

export interface CountRow {
  code: string
  value: number
}

/**
 * The console's conversation figures: inbound messages by classified intent, and handoffs to
 * humans by reason (from the audit trail, where every handoff is recorded). Counts only.
 */
export class ConversationStats {
  async messagesByIntent(scope: StatsScope): Promise<CountRow[]> {
    const since = DateTime.utc().minus({ days: scope.days })
    const query = db
      .from('messages')
      .where('direction', 'inbound')
      .whereNotNull('intent')
      .where('created_at', '>=', since.toSQL()!)
      .select('intent as code')
      .count('* as total')
      .groupBy('intent')
      .orderBy('total', 'desc')
    if (scope.merchantId) query.where('merchant_id', scope.merchantId)
    const rows = await query
    return rows.map((row) => ({ code: row.code, value: Number(row.total) }))
  }

  async handoffsByReason(scope: StatsScope): Promise<CountRow[]> {
    const since = DateTime.utc().minus({ days: scope.days })
    const query = db
      .from('audit_events')
      .where('action', 'conversations.handoff')
      .where('occurred_at', '>=', since.toSQL()!)
      .select(db.raw(`meta->>'reason' as code`))
      .count('* as total')
      .groupByRaw(`meta->>'reason'`)
      .orderBy('total', 'desc')
    if (scope.merchantId) query.where('merchant_id', scope.merchantId)
    const rows = await query
    return rows.map((row) => ({ code: row.code ?? 'other', value: Number(row.total) }))
  }

  async counts(scope: StatsScope) {
    const merchant = (query: any) =>
      scope.merchantId ? query.where('merchant_id', scope.merchantId) : query
    const [human] = await merchant(db.from('conversations').where('mode', 'human')).count(
      '* as total'
    )
    const [held] = await merchant(
      db.from('outbound_messages').whereIn('state', ['held', 'not_sent', 'failed'])
    ).count('* as total')
    const [unroutable] = await db
      .from('webhook_events')
      .where('state', 'unroutable')
      .count('* as total')
    return {
      withHumans: Number(human.total),
      notSent: Number(held.total),
      unroutable: Number(unroutable.total),
    }
  }
}

const conversationStats = new ConversationStats()
export default conversationStats
