import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { countRows, type CountCard } from '#access/services/dashboard_card'
import { OPEN_STATUSES } from '#government_requests/policy'

const open = () => db.from('government_requests').whereIn('status', [...OPEN_STATUSES])

/** The legal team's numbers: authority requests awaiting an answer, and those past their deadline. */
export const GOVERNMENT_REQUEST_CARDS: CountCard[] = [
  {
    key: 'government_requests_open',
    permission: 'government_requests:read',
    audience: 'platform',
    link: { route: 'government_requests.index', permission: 'government_requests:read' },
    count: () => countRows(open()),
  },
  {
    key: 'government_requests_overdue',
    permission: 'government_requests:read',
    audience: 'platform',
    tone: 'warn',
    link: { route: 'government_requests.index', permission: 'government_requests:read' },
    count: () => countRows(open().where('due_at', '<', DateTime.utc().toSQL()!)),
  },
]
