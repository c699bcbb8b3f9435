import type { HttpContext } from '@adonisjs/core/http'
import auditTrail from '#audit/services/audit_trail'

export default class AuditController {
  /** Auditor-only: recomputes the whole chain and names the first broken link, if any. */
  async verify({ response }: HttpContext) {
    return response.json(await auditTrail.verifyAndRecord())
  }
}
