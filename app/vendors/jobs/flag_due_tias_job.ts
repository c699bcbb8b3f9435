import type { JobHandler } from '#core/queue'
import transferAssessments from '#vendors/services/transfer_assessments'

/** Daily: marks approved TIAs overdue or due within 30 days, for the dashboard and the due list. */
export default class FlagDueTiasJob implements JobHandler<Record<string, never>> {
  async handle() {
    return transferAssessments.flagDue()
  }
}
