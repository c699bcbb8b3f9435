import logger from '@adonisjs/core/services/logger'
import { dispatch, dispatchBulk } from '#core/queue'

/*
 * Stored events reach the worker as `conversations.process_event` jobs carrying the event id
 * only. The job id is derived from the event (its id and arrival time, so a database restored or
 * reset never meets the job of an older event with the same id), so the webhook, the sweeper and
 * a redelivery never queue one event twice. A replay uses a fresh job id (the first run may
 * still be remembered).
 */

export const PROCESS_EVENT_JOB = 'conversations.process_event'
export const FAN_OUT_JOB = 'conversations.fan_out_events'

/** An event as the queue knows it: its id and when it arrived (epoch milliseconds). */
export interface QueuedEvent {
  id: number
  receivedAt: number
}

export function processJobId(event: QueuedEvent) {
  return `evt-${event.id}-${event.receivedAt}`
}

export async function enqueueEvents(events: QueuedEvent[], options: { replay?: boolean } = {}) {
  if (events.length === 0) return
  const stamp = Date.now()
  await dispatchBulk(
    PROCESS_EVENT_JOB,
    events.map((event) => ({
      payload: { eventId: event.id },
      options: {
        jobId: options.replay ? `${processJobId(event)}-r${stamp}` : processJobId(event),
      },
    }))
  )
}

/* Enqueues still waiting on Redis: past the cap, new ones are left to the sweeper. */
const MAX_IN_FLIGHT = 5000
/* How long the webhook collects acknowledged events into one job. */
const FAN_OUT_WINDOW_MS = 5
let inFlight = 0
let pending: QueuedEvent[] = []
let flushTimer: NodeJS.Timeout | null = null

function flush() {
  flushTimer = null
  const batch = pending
  pending = []
  dispatch(FAN_OUT_JOB, { events: batch })
    .catch((error) =>
      logger.warn(
        { err: { message: (error as Error).message }, events: batch.length },
        'events not enqueued; the sweeper will'
      )
    )
    .finally(() => (inFlight -= batch.length))
}

/**
 * After the webhook's answer: the events acknowledged over a few milliseconds go to Redis as one
 * `conversations.fan_out_events` job (ids only), and the worker turns it into a job per event.
 * Adding a job costs the web process as much CPU as the rest of a delivery, so a burst costs one.
 * With Redis down the events are already durable, and the sweeper
 * (`conversations.sweep_events`) enqueues them once it is back.
 */
export function enqueueAfterAck(events: QueuedEvent[]) {
  if (events.length === 0 || inFlight >= MAX_IN_FLIGHT) return
  inFlight += events.length
  pending.push(...events)
  flushTimer ??= setTimeout(flush, FAN_OUT_WINDOW_MS)
}
