import type { JobHandler } from '#core/queue'
import changeNotices from '#vendors/services/change_notices'

/** Every 15 minutes: announced subprocessor changes take effect once their objection window closed. */
export default class ApplyNoticedChangesJob implements JobHandler<Record<string, never>> {
  async handle() {
    return changeNotices.applyDue()
  }
}
