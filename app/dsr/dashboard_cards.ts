import { scopedQuery } from '#access/services/tenant_scope'
import { countModels, type CountCard } from '#access/services/dashboard_card'
import DsrCase from '#dsr/models/dsr_case'
import { dueQuery } from '#dsr/services/case_queries'
import terminations from '#dsr/termination/termination_service'

/**
 * DSR numbers: for the DPO, cases past or near their deadline and merchant terminations to
 * prepare or approve; for merchants, what awaits them.
 */
export const DSR_CARDS: CountCard[] = [
  {
    key: 'dsr_overdue',
    permission: 'dsr:read',
    audience: 'platform',
    tone: 'warn',
    link: { route: 'dsr.cases.index', permission: 'dsr:read' },
    count: (principal) => countModels(dueQuery(principal, 'overdue')),
  },
  {
    key: 'dsr_due_soon',
    permission: 'dsr:read',
    audience: 'platform',
    tone: 'warn',
    link: { route: 'dsr.cases.index', permission: 'dsr:read' },
    count: (principal) => countModels(dueQuery(principal, 'due_soon')),
  },
  {
    key: 'terminations_awaiting_staff',
    permission: 'termination:manage',
    audience: 'platform',
    tone: 'warn',
    link: {
      route: 'dsr.terminations.index',
      permission: 'termination:manage',
      query: () => ({ status: 'awaiting_staff' }),
    },
    count: () => countModels(terminations.matching({ status: 'awaiting_staff' })),
  },
  {
    key: 'dsr_awaiting_merchant',
    permission: 'dsr:view',
    audience: 'merchant',
    tone: 'warn',
    link: { route: 'portal.dsr.index', permission: 'dsr:view' },
    count: (principal) =>
      countModels(scopedQuery(principal, DsrCase).where('status', 'awaiting_merchant')),
  },
]
