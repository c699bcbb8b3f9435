import { DateTime } from 'luxon'
import type { Infer } from '@vinejs/vine/types'
import AuditEvent from '#audit/models/audit_event'
import { pageOf } from '#core/pagination'
import Merchant from '#merchants/models/merchant'
import type { auditEventFilterValidator } from '#audit/validators/audit_event'

export type AuditEventFilters = Infer<typeof auditEventFilterValidator>

/** The calendar day the user typed, as a UTC midnight (VineJS parses it in the server's zone). */
function utcDay(date: Date) {
  return DateTime.fromISO(DateTime.fromJSDate(date).toISODate()!, { zone: 'utc' })
}

/**
 * The auditors' view of the trail: newest first, filtered by action (exact, or a prefix ending
 * in "." such as `report.`), outcome, actor (by type and id, or a user picked by name), merchant
 * and a UTC date range (both days inclusive).
 */
export async function searchAuditEvents(filters: AuditEventFilters) {
  const { page, perPage } = pageOf({ page: filters.page, perPage: filters.perPage ?? 50 })
  const query = AuditEvent.query()
  if (filters.action) {
    if (filters.action.endsWith('.')) {
      query.whereLike('action', `${filters.action.replace(/[\\%_]/g, '\\$&')}%`)
    } else {
      query.where('action', filters.action)
    }
  }
  if (filters.outcome) query.where('outcome', filters.outcome)
  if (filters.actorType) query.where('actor_type', filters.actorType)
  if (filters.actorId) query.where('actor_id', filters.actorId)
  if (filters.user) query.where('actor_type', 'user').where('actor_id', String(filters.user))
  if (filters.merchant) {
    const merchant = await Merchant.findBy('slug', filters.merchant)
    query.where('merchant_id', merchant?.id ?? -1)
  }
  if (filters.from) query.where('occurred_at', '>=', utcDay(filters.from).toJSDate())
  if (filters.to) query.where('occurred_at', '<', utcDay(filters.to).plus({ days: 1 }).toJSDate())
  return query.orderBy('id', 'desc').paginate(page, perPage)
}

/** Distinct actions recorded so far, for the filter's suggestions. */
export async function knownAuditActions() {
  const rows = await AuditEvent.query().distinct('action').orderBy('action')
  return rows.map((row) => row.action)
}
