import type { HttpContext } from '@adonisjs/core/http'
import { healthReport } from '#core/health'

export default class HealthController {
  async show({ response }: HttpContext) {
    const report = await healthReport()
    return response.status(report.down.length ? 503 : 200).json(report)
  }
}
