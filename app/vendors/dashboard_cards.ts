import db from '@adonisjs/lucid/services/db'
import Objection from '#vendors/models/objection'
import { scopedQuery } from '#access/services/tenant_scope'
import { countModels, countRows, type CountCard } from '#access/services/dashboard_card'

/** The vendor register's dashboard numbers: subprocessors, objections, due TIAs. */
export const VENDORS_CARDS: CountCard[] = [
  {
    key: 'subprocessors_effective',
    label: 'Subprocessors in use',
    permission: 'vendors:read',
    audience: 'platform',
    link: { route: 'vendors.subprocessors.index', permission: 'vendors:read' },
    count: () => countRows(db.from('subprocessors').where('status', 'effective')),
  },
  {
    key: 'objections_open',
    label: 'Open subprocessor objections',
    permission: 'vendors:read',
    audience: 'platform',
    tone: 'warn',
    link: { route: 'vendors.objections.index', permission: 'vendors:read' },
    count: () => countRows(db.from('subprocessor_objections').where('status', 'open')),
  },
  {
    key: 'my_objections_open',
    label: 'Your open objections',
    permission: 'notices:read',
    audience: 'merchant',
    link: { route: 'portal.subprocessors.index', permission: 'notices:read' },
    count: (principal) => countModels(scopedQuery(principal, Objection).where('status', 'open')),
  },
  {
    // Kept by the `vendors.flag_due_tias` job
    key: 'tias_due',
    label: 'TIAs overdue or due in 30 days',
    permission: 'tia:read',
    audience: 'platform',
    tone: 'warn',
    link: { route: 'vendors.tias.index', permission: 'tia:read' },
    count: () =>
      countRows(
        db
          .from('transfer_impact_assessments')
          .where('status', 'approved')
          .whereIn('due_state', ['due_soon', 'overdue'])
      ),
  },
]
