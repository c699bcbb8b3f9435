import type { JobHandler } from '#core/queue'
import requestNotices from '#government_requests/services/notices'

/** Daily and hourly: notices deferred under a gag order go out once the gag has lapsed. */
export default class SendDueNoticesJob implements JobHandler<Record<string, never>> {
  async handle() {
    return { sent: await requestNotices.sendDue() }
  }
}
