import type { HttpContext } from '@adonisjs/core/http'
import auditTrail from '#audit/services/audit_trail'

export default class AuditController {
  /** Auditor-only: recomputes the whole chain and names the first broken link, if any. */
  async verify({ response }: HttpContext) {
    const verdict = await auditTrail.verify()
    await auditTrail.record({
      action: 'audit.chain_verified',
      outcome: verdict.valid ? 'success' : 'failure',
      meta: { checked: verdict.checked },
    })
    return response.json(verdict)
  }
}
