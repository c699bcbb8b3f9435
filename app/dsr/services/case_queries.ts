import { DateTime } from 'luxon'
import type { Principal } from '#access/principal'
import { scopedQuery } from '#access/services/tenant_scope'
import dsrConfig from '#config/dsr'
import DsrCase, { OPEN_STATUSES } from '#dsr/models/dsr_case'
import type { CaseFilter } from '#dsr/validators/dsr'

function todayIso() {
  return DateTime.utc().toISODate()!
}

/** Open cases past their deadline, or due within `dueSoonDays`. */
export function dueQuery(principal: Principal, due: 'overdue' | 'due_soon') {
  const query = scopedQuery(principal, DsrCase).whereIn('status', OPEN_STATUSES)
  if (due === 'overdue') return query.where('due_at', '<', todayIso())
  return query
    .where('due_at', '>=', todayIso())
    .where('due_at', '<=', DateTime.utc().plus({ days: dsrConfig.dueSoonDays }).toISODate()!)
}

/** The case lists of the console and the portal, most urgent first. */
export function listCases(principal: Principal, filter: Partial<CaseFilter>) {
  const query = filter.due ? dueQuery(principal, filter.due) : scopedQuery(principal, DsrCase)
  const status = filter.status ?? 'open'
  if (status === 'open') query.whereIn('status', OPEN_STATUSES)
  else if (status !== 'any') query.where('status', status)
  if (filter.type) query.where('type', filter.type)
  if (filter.merchantId) query.where('merchant_id', filter.merchantId)
  if (filter.q) query.whereILike('reference', `%${filter.q}%`)
  return query.orderBy('due_at', 'asc').orderBy('id', 'asc')
}

export const DEADLINE_BUCKETS = ['overdue', 'd0_3', 'd4_7', 'd8_14', 'd15_plus'] as const
export type DeadlineBucket = (typeof DEADLINE_BUCKETS)[number]

function bucketOf(days: number): DeadlineBucket {
  if (days < 0) return 'overdue'
  if (days <= 3) return 'd0_3'
  if (days <= 7) return 'd4_7'
  if (days <= 14) return 'd8_14'
  return 'd15_plus'
}

/** The dashboard chart: open cases by status and by days left to their deadline. */
export async function caseChart(principal: Principal) {
  const open = await scopedQuery(principal, DsrCase)
    .whereIn('status', OPEN_STATUSES)
    .select('id', 'status', 'due_at')
  const today = DateTime.utc().startOf('day')
  const byStatus = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Record<string, number>
  const byDeadline = Object.fromEntries(DEADLINE_BUCKETS.map((b) => [b, 0])) as Record<
    DeadlineBucket,
    number
  >
  for (const row of open) {
    byStatus[row.status] += 1
    byDeadline[bucketOf(Math.floor(row.dueAt.diff(today, 'days').days))] += 1
  }
  return { byStatus, byDeadline, total: open.length }
}
