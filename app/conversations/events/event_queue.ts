import logger from '@adonisjs/core/services/logger'
import { dispatch } from '#core/queue'

/*
 * Stored events reach the worker as `conversations.process_event` jobs carrying the event id
 * only. The job id is derived from the event, so the webhook, the sweeper and a redelivery never
 * queue one event twice. A replay uses a fresh job id (the first run may still be remembered).
 */

export const PROCESS_EVENT_JOB = 'conversations.process_event'

export function processJobId(eventId: number) {
  return `evt-${eventId}`
}

export async function enqueueEvents(ids: number[], options: { replay?: boolean } = {}) {
  const stamp = Date.now()
  await Promise.all(
    ids.map((eventId) =>
      dispatch(
        PROCESS_EVENT_JOB,
        { eventId },
        { jobId: options.replay ? `${processJobId(eventId)}-r${stamp}` : processJobId(eventId) }
      )
    )
  )
}

/* Enqueues still waiting on Redis: past the cap, new ones are left to the sweeper. */
const MAX_IN_FLIGHT = 5000
let inFlight = 0

/**
 * After the webhook's answer: enqueue without making Meta wait. With Redis down the events are
 * already durable, and the sweeper (`conversations.sweep_events`) enqueues them once it is back.
 */
export function enqueueAfterAck(ids: number[]) {
  if (ids.length === 0 || inFlight >= MAX_IN_FLIGHT) return
  inFlight += ids.length
  enqueueEvents(ids)
    .catch((error) =>
      logger.warn(
        { err: { message: (error as Error).message }, events: ids.length },
        'events not enqueued; the sweeper will'
      )
    )
    .finally(() => (inFlight -= ids.length))
}
