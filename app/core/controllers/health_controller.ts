import type { HttpContext } from '@adonisjs/core/http'
import { healthReport } from '#core/health'

export default class HealthController {
  /** Public, for load balancers: up or down and nothing about what is behind it. */
  async show({ response }: HttpContext) {
    const { status } = await healthReport()
    return response.status(status === 'up' ? 200 : 503).json({ status })
  }

  /** Each dependency with its detail (queue depths, KMS provider, errors), for operators. */
  async details({ response }: HttpContext) {
    const report = await healthReport()
    return response.status(report.status === 'up' ? 200 : 503).json(report)
  }
}
