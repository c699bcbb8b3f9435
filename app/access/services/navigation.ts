import router from '@adonisjs/core/services/router'
import type { Principal } from '#access/principal'
import authorization from '#access/services/authorization'

/**
 * The sections of the main navigation, in display order, with their English labels
 * (translations under `nav.group.<key>`). A section shows only when it holds an entry the
 * principal may open; with one such entry it is a plain link to it.
 */
export const NAVIGATION_GROUPS = {
  overview: 'Overview',
  data_map: 'Data map',
  vendors: 'Vendors',
  conversations: 'Conversations',
  cases: 'Cases',
  evidence: 'Evidence',
  settings: 'Settings',
} as const

export type NavigationGroup = keyof typeof NAVIGATION_GROUPS

export interface NavigationEntry {
  label: string
  /** Route name; the link is built from it. */
  route: string
  /** Shown only to principals that hold this permission. */
  permission: string
  /** URL prefix that marks the entry as the current section (defaults to the route's URL). */
  section?: string
  group: NavigationGroup
}

/**
 * The console's main navigation, in display order. Modules add their pages here with the
 * permission the page's route requires, so nobody is shown a link that would answer 403.
 * `label` is the English text; translations live under `nav.<route>` in resources/lang.
 */
export const NAVIGATION: NavigationEntry[] = [
  { label: 'Dashboard', route: 'dashboard', permission: 'dashboard:view', group: 'overview' },
  {
    label: 'Data map',
    route: 'data_map.overview',
    permission: 'datamap:read',
    section: '/data-map',
    group: 'data_map',
  },
  {
    label: 'RoPA',
    route: 'data_map.ropa.show',
    permission: 'ropa:read',
    section: '/ropa',
    group: 'data_map',
  },
  {
    label: 'Controller details',
    route: 'portal.merchant.details',
    permission: 'controller_details:read',
    group: 'data_map',
  },
  {
    label: 'Subprocessors',
    route: 'vendors.subprocessors.index',
    permission: 'vendors:read',
    section: '/vendors/subprocessors',
    group: 'vendors',
  },
  {
    label: 'Transfers (TIA)',
    route: 'vendors.tias.index',
    permission: 'tia:read',
    section: '/vendors/tias',
    group: 'vendors',
  },
  {
    label: 'Objections',
    route: 'vendors.objections.index',
    permission: 'objections:resolve',
    section: '/vendors/objections',
    group: 'vendors',
  },
  {
    label: 'Subprocessor notices',
    route: 'portal.subprocessors.index',
    permission: 'notices:read',
    section: '/portal/subprocessors',
    group: 'vendors',
  },
  {
    label: 'Conversations',
    route: 'conversations.overview',
    permission: 'conversations:read',
    section: '/conversations',
    group: 'conversations',
  },
  {
    label: 'AI processing log',
    route: 'conversations.ai_log',
    permission: 'ai_logs:read',
    section: '/conversations/ai-log',
    group: 'conversations',
  },
  {
    label: 'Inbox',
    route: 'portal.inbox.index',
    permission: 'inbox:read',
    section: '/portal/conversations',
    group: 'conversations',
  },
  {
    label: 'AI instructions',
    route: 'portal.ai_instructions.edit',
    permission: 'ai_instructions:manage',
    group: 'conversations',
  },
  { label: 'Channels', route: 'portal.channels', permission: 'inbox:read', group: 'conversations' },
  {
    label: 'DSR cases',
    route: 'dsr.cases.index',
    permission: 'dsr:read',
    section: '/dsr/cases',
    group: 'cases',
  },
  {
    label: 'Legal holds',
    route: 'dsr.holds.index',
    permission: 'legal_holds:read',
    section: '/dsr/legal-holds',
    group: 'cases',
  },
  {
    label: 'Data-subject requests',
    route: 'portal.dsr.index',
    permission: 'dsr:view',
    section: '/portal/dsr',
    group: 'cases',
  },
  {
    label: 'DSR callbacks',
    route: 'portal.dsr.callbacks',
    permission: 'dsr_callbacks:manage',
    group: 'cases',
  },
  {
    label: 'Authority requests',
    route: 'government_requests.index',
    permission: 'government_requests:read',
    section: '/government-requests',
    group: 'cases',
  },
  {
    label: 'Authority requests',
    route: 'portal.government_requests.index',
    permission: 'notices:read',
    section: '/portal/government-requests',
    group: 'cases',
  },
  {
    label: 'Reports',
    route: 'reports.index',
    permission: 'reports:read',
    section: '/reports',
    group: 'evidence',
  },
  {
    label: 'Verify a report',
    route: 'reports.verify.show',
    permission: 'reports:verify',
    group: 'evidence',
  },
  {
    label: 'Audit trail',
    route: 'audit.index',
    permission: 'audit:read',
    section: '/audit',
    group: 'evidence',
  },
  {
    label: 'Users',
    route: 'access.users.index',
    permission: 'users:manage',
    section: '/users',
    group: 'settings',
  },
  {
    label: 'Roles',
    route: 'access.roles.index',
    permission: 'roles:manage',
    section: '/roles',
    group: 'settings',
  },
  {
    label: 'API tokens',
    route: 'access.tokens.index',
    permission: 'tokens:manage',
    group: 'settings',
  },
  {
    label: 'Keys',
    route: 'keys.index',
    permission: 'keys:read',
    section: '/keys',
    group: 'settings',
  },
  {
    label: 'End of service',
    route: 'portal.termination',
    permission: 'termination:request',
    group: 'settings',
  },
  {
    label: 'Security',
    route: 'access.account.security',
    permission: 'account:manage',
    group: 'settings',
  },
]

/**
 * The sections this principal may use, each with its entries, and `active` set on the one entry
 * being viewed and on its section: the longest section matching the path wins, so
 * /reports/verify marks "Verify a report" alone.
 */
export async function navigationFor(principal: Principal, currentPath: string) {
  const items: (Pick<NavigationEntry, 'label' | 'route' | 'group'> & {
    href: string
    section: string
    active: boolean
  })[] = []
  for (const entry of NAVIGATION) {
    // An entry whose module is not routed in this build is skipped rather than broken
    if (!router.has(entry.route)) continue
    if (!(await authorization.can(principal, entry.permission))) continue
    const href = router.makeUrl(entry.route)
    // `route` lets the layout translate the label (`nav.<route>` in resources/lang)
    items.push({
      label: entry.label,
      route: entry.route,
      href,
      group: entry.group,
      section: entry.section ?? href,
      active: false,
    })
  }
  const matches = (section: string) =>
    section === '/'
      ? currentPath === '/'
      : currentPath === section || currentPath.startsWith(`${section}/`)
  const current = items
    .filter((item) => matches(item.section))
    .sort((a, b) => b.section.length - a.section.length)[0]
  if (current) current.active = true
  return Object.entries(NAVIGATION_GROUPS)
    .map(([key, label]) => {
      const entries = items.filter((item) => item.group === key)
      return {
        key,
        label,
        active: entries.some((item) => item.active),
        items: entries.map(({ label: text, route, href, active }) => ({
          label: text,
          route,
          href,
          active,
        })),
      }
    })
    .filter((group) => group.items.length > 0)
}
