import type { HttpContext } from '@adonisjs/core/http'
import { principalOf } from '#access/principal'
import { dashboardCards, usersByRole } from '#access/services/dashboard'

export default class DashboardController {
  async show(ctx: HttpContext) {
    const principal = principalOf(ctx)
    const [cards, roles] = await Promise.all([dashboardCards(principal), usersByRole(principal)])
    return ctx.view.render('pages/dashboard/show', { cards, roles })
  }
}
