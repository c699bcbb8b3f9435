import type { HttpContext } from '@adonisjs/core/http'
import { principalOf } from '#access/principal'
import { can } from '#access/services/authorization'
import { dashboardCards } from '#access/services/dashboard'
import { chainStatus } from '#audit/services/chain_status'
import { permittedKinds, visibleReports } from '#reports/services/report_access'

/**
 * What the signed-in person should act on: count cards (each linking to the filtered list it
 * counts), and for those who audit, the chain's state and the latest reports.
 */
export default class DashboardController {
  async show(ctx: HttpContext) {
    const principal = principalOf(ctx)
    const [cards, chain, reports] = await Promise.all([
      dashboardCards(principal),
      can(principal, 'audit:read').then((may) => (may ? chainStatus() : null)),
      can(principal, 'reports:read').then(async (may) =>
        may
          ? visibleReports(principal, await permittedKinds(principal))
              .preload('merchant')
              .orderBy('created_at', 'desc')
              .orderBy('id', 'desc')
              .limit(5)
          : null
      ),
    ])
    return ctx.view.render('pages/dashboard/show', { cards, chain, reports })
  }
}
