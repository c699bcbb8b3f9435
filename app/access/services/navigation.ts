import router from '@adonisjs/core/services/router'
import type { Principal } from '#access/principal'
import authorization from '#access/services/authorization'

export interface NavigationEntry {
  label: string
  /** Route name; the link is built from it. */
  route: string
  /** Shown only to principals that hold this permission. */
  permission: string
  /** URL prefix that marks the entry as the current section (defaults to the route's URL). */
  section?: string
}

/**
 * The console's main navigation, in display order. Modules add their pages here with the
 * permission the page's route requires, so nobody is shown a link that would answer 403.
 * `label` is the English text; translations live under `nav.<route>` in resources/lang.
 */
export const NAVIGATION: NavigationEntry[] = [
  { label: 'Dashboard', route: 'dashboard', permission: 'dashboard:view' },
  { label: 'Users', route: 'access.users.index', permission: 'users:manage', section: '/users' },
  { label: 'Roles', route: 'access.roles.index', permission: 'roles:manage', section: '/roles' },
  { label: 'API tokens', route: 'access.tokens.index', permission: 'tokens:manage' },
  {
    label: 'Data map',
    route: 'data_map.overview',
    permission: 'datamap:read',
    section: '/data-map',
  },
  { label: 'RoPA', route: 'data_map.ropa.show', permission: 'ropa:read', section: '/ropa' },
  {
    label: 'Subprocessors',
    route: 'vendors.subprocessors.index',
    permission: 'vendors:read',
    section: '/vendors/subprocessors',
  },
  {
    label: 'Transfers (TIA)',
    route: 'vendors.tias.index',
    permission: 'tia:read',
    section: '/vendors/tias',
  },
  {
    label: 'Objections',
    route: 'vendors.objections.index',
    permission: 'objections:resolve',
    section: '/vendors/objections',
  },
  {
    label: 'Subprocessor notices',
    route: 'portal.subprocessors.index',
    permission: 'notices:read',
    section: '/portal/subprocessors',
  },
  {
    label: 'Controller details',
    route: 'portal.merchant.details',
    permission: 'controller_details:read',
  },
  {
    label: 'Conversations',
    route: 'conversations.overview',
    permission: 'conversations:read',
    section: '/conversations',
  },
  {
    label: 'AI processing log',
    route: 'conversations.ai_log',
    permission: 'ai_logs:read',
    section: '/conversations/ai-log',
  },
  {
    label: 'Inbox',
    route: 'portal.inbox.index',
    permission: 'inbox:read',
    section: '/portal/conversations',
  },
  {
    label: 'AI instructions',
    route: 'portal.ai_instructions.edit',
    permission: 'ai_instructions:manage',
  },
  { label: 'Channels', route: 'portal.channels', permission: 'inbox:read' },
  {
    label: 'Authority requests',
    route: 'government_requests.index',
    permission: 'government_requests:read',
    section: '/government-requests',
  },
  {
    label: 'Authority requests',
    route: 'portal.government_requests.index',
    permission: 'notices:read',
    section: '/portal/government-requests',
  },
  { label: 'End of service', route: 'portal.termination', permission: 'termination:request' },
  { label: 'DSR cases', route: 'dsr.cases.index', permission: 'dsr:read', section: '/dsr/cases' },
  {
    label: 'Legal holds',
    route: 'dsr.holds.index',
    permission: 'legal_holds:read',
    section: '/dsr/legal-holds',
  },
  {
    label: 'Data-subject requests',
    route: 'portal.dsr.index',
    permission: 'dsr:view',
    section: '/portal/dsr',
  },
  {
    label: 'DSR callbacks',
    route: 'portal.dsr.callbacks',
    permission: 'dsr_callbacks:manage',
  },
  { label: 'Reports', route: 'reports.index', permission: 'reports:read', section: '/reports' },
  { label: 'Verify a report', route: 'reports.verify.show', permission: 'reports:verify' },
  { label: 'Audit trail', route: 'audit.index', permission: 'audit:read', section: '/audit' },
  { label: 'Keys', route: 'keys.index', permission: 'keys:read', section: '/keys' },
  { label: 'Security', route: 'access.account.security', permission: 'account:manage' },
]

/**
 * The entries this principal may use, with `active` set on the one section being viewed: the
 * longest section matching the path wins, so /reports/verify marks "Verify a report" alone.
 */
export async function navigationFor(principal: Principal, currentPath: string) {
  const items = []
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
  return items.map(({ label, route, href, active }) => ({ label, route, href, active }))
}
