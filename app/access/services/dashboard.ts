import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { Principal } from '#access/principal'
import authorization, { PLATFORM_DOMAIN } from '#access/services/authorization'
import type { Audience } from '#access/services/dashboard_card'
import { DASHBOARD_CARDS } from '#start/dashboard'

function reaches(principal: Principal, audience: Audience) {
  if (audience === 'all') return true
  return (principal.domain === PLATFORM_DOMAIN) === (audience === 'platform')
}

/** The cards this principal may see, with their numbers. */
export async function dashboardCards(principal: Principal) {
  const cards = []
  for (const card of DASHBOARD_CARDS) {
    if (!reaches(principal, card.audience)) continue
    if (!(await authorization.can(principal, card.permission))) continue
    const link = card.link
    const linked = link && (await authorization.can(principal, link.permission))
    cards.push({
      key: card.key,
      labelValues: card.labelValues ?? {},
      value: await card.count(principal),
      href: linked ? router.makeUrl(link.route, {}, { qs: link.query?.() }) : null,
      tone: card.tone,
    })
  }
  return cards
}

/** Active users per role in the principal's reach (staff: every domain), for the chart. */
export async function usersByRole(principal: Principal) {
  const rows = await db
    .from('casbin_rules')
    .joinRaw(`JOIN users ON casbin_rules.v0 = 'user:' || users.id`)
    .where('casbin_rules.ptype', 'g')
    .whereNull('users.disabled_at')
    .if(principal.domain !== PLATFORM_DOMAIN, (q) => q.where('casbin_rules.v2', principal.domain))
    .groupBy('casbin_rules.v1')
    .orderBy('casbin_rules.v1')
    .select('casbin_rules.v1 as role')
    .count('* as total')
  return rows.map((row) => ({ role: String(row.role), users: Number(row.total) }))
}
