import db from '@adonisjs/lucid/services/db'
import Objection from '#vendors/models/objection'
import changeNotices from '#vendors/services/change_notices'
import { scopedQuery } from '#access/services/tenant_scope'
import { countModels, countRows, type CountCard } from '#access/services/dashboard_card'

function dueTiasCard(key: string, dueState: 'due_soon' | 'overdue'): CountCard {
  return {
    key,
    permission: 'tia:write',
    audience: 'platform',
    tone: 'warn',
    link: { route: 'vendors.tias.index', permission: 'tia:read', query: () => ({ dueState }) },
    count: () =>
      countRows(
        db
          .from('transfer_impact_assessments')
          .where('status', 'approved')
          .where('due_state', dueState)
      ),
  }
}

/** The vendor register's dashboard numbers: subprocessors, announced changes, objections, due and overdue TIAs. */
export const VENDORS_CARDS: CountCard[] = [
  {
    key: 'subprocessors_effective',
    permission: 'vendors:read',
    audience: 'platform',
    link: { route: 'vendors.subprocessors.index', permission: 'vendors:read' },
    count: () => countRows(db.from('subprocessors').where('status', 'effective')),
  },
  {
    key: 'notices_pending',
    permission: 'vendors:write',
    audience: 'platform',
    link: {
      route: 'vendors.subprocessors.index',
      permission: 'vendors:read',
      query: () => ({ status: 'notice_published' }),
    },
    count: () => countRows(db.from('subprocessors').where('status', 'notice_published')),
  },
  {
    key: 'objections_open',
    permission: 'objections:resolve',
    audience: 'platform',
    tone: 'warn',
    link: {
      route: 'vendors.objections.index',
      permission: 'vendors:read',
      query: () => ({ status: 'open' }),
    },
    count: () => countRows(db.from('subprocessor_objections').where('status', 'open')),
  },
  {
    key: 'my_notices_open',
    permission: 'notices:read',
    audience: 'merchant',
    tone: 'warn',
    link: {
      route: 'portal.subprocessors.index',
      permission: 'notices:read',
      query: () => ({ window: 'open' }),
    },
    count: (principal) => countModels(changeNotices.delivered(principal, { window: 'open' })),
  },
  {
    key: 'my_objections_open',
    permission: 'notices:read',
    audience: 'merchant',
    link: { route: 'portal.subprocessors.index', permission: 'notices:read' },
    count: (principal) => countModels(scopedQuery(principal, Objection).where('status', 'open')),
  },
  // Kept by the `vendors.flag_due_tias` job
  dueTiasCard('tias_due', 'due_soon'),
  dueTiasCard('tias_overdue', 'overdue'),
]
