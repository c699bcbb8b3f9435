import type { JobHandler } from '#core/queue'
import intake from '#dsr/services/intake'

/** `dsr.convert_rights_requests`: customers' own requests become cases awaiting their merchant. */
export default class ConvertRightsRequestsJob implements JobHandler<Record<string, never>> {
  async handle() {
    return { converted: await intake.convertPendingRequests() }
  }
}
