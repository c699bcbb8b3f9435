import type { JobHandler } from '#core/queue'
import { sweepStoredEvents } from '#conversations/events/sweeper'

/**
 * `conversations.sweep_events`, every minute: enqueues stored events no job has picked up (the
 * webhook answered while Redis was down). `{ olderThanSeconds }` defaults to 60.
 */
export default class SweepEventsJob implements JobHandler<{ olderThanSeconds?: number }> {
  async handle(payload: { olderThanSeconds?: number }) {
    return sweepStoredEvents({ olderThanSeconds: payload.olderThanSeconds })
  }
}
