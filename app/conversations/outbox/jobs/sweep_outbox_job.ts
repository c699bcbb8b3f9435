import type { JobHandler } from '#core/queue'
import outbox from '#conversations/outbox/outbox'

/** Every minute: due retries, sends lost while Redis was down, held rows of newly connected channels. */
export default class SweepOutboxJob implements JobHandler<Record<string, never>> {
  async handle() {
    return outbox.sweep()
  }
}
