import type { JobHandler } from '#core/queue'
import { enqueueEvents, type QueuedEvent } from '#conversations/events/event_queue'

/**
 * `conversations.fan_out_events`: the events one webhook burst stored (`{ events }`, ids and
 * arrival times), each enqueued as its own `conversations.process_event` job. Job ids come from
 * the events, so a retried fan-out queues nothing twice.
 */
export default class FanOutEventsJob implements JobHandler<{ events: QueuedEvent[] }> {
  async handle(payload: { events: QueuedEvent[] }) {
    await enqueueEvents(payload.events)
    return { enqueued: payload.events.length }
  }
}
