import auditTrail from '#audit/services/audit_trail'
import type { JobHandler } from '#core/queue'

/** Nightly chain verification; a broken chain is logged as an error for on-call to see. */
export default class VerifyChainJob implements JobHandler {
  async handle() {
    return auditTrail.verify()
  }
}
