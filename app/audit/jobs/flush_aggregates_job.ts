import auditAggregates from '#audit/services/audit_aggregates'
import type { JobHandler } from '#core/queue'

/** Writes the summaries of repeated denials and failed logins once their window has closed. */
export default class FlushAggregatesJob implements JobHandler {
  async handle() {
    return { summaries: await auditAggregates.flush() }
  }
}
