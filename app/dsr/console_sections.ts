import type { Principal } from '#access/principal'
import { can } from '#access/services/authorization'

/** The DSR console's sections (tabs above its lists); labels are `dsr.subnav.<key>`. */
const SECTIONS = [
  { key: 'cases', route: 'dsr.cases.index', permission: 'dsr:read' },
  { key: 'holds', route: 'dsr.holds.index', permission: 'legal_holds:read' },
  { key: 'terminations', route: 'dsr.terminations.index', permission: 'termination:manage' },
] as const

/** The sections this principal may open, so no tab answers 403. */
export async function dsrSections(principal: Principal) {
  const allowed = await Promise.all(SECTIONS.map((section) => can(principal, section.permission)))
  return SECTIONS.filter((_, index) => allowed[index])
}
