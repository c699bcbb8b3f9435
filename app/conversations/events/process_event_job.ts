import type { JobContext, JobHandler } from '#core/queue'
import eventProcessor from '#conversations/events/event_processor'

/** Attempts of `conversations.process_event` (its options in `start/jobs.ts` say the same). */
export const PROCESS_EVENT_ATTEMPTS = 5

/** `conversations.process_event`: one stored Meta webhook event, by id (`{ eventId }`). */
export default class ProcessEventJob implements JobHandler<{ eventId: number }> {
  async handle(payload: { eventId: number }, { attempt }: JobContext) {
    return eventProcessor.process(Number(payload.eventId), {
      finalAttempt: attempt >= PROCESS_EVENT_ATTEMPTS,
    })
  }
}
