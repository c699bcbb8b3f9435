import { dispatch } from '#core/queue'
import { jobRegistry, type JobName } from '#start/jobs'

/*
 * The one hand-over from ingestion to the reply step. When the worker has stored an inbound
 * customer message (not an echo, a reaction, a system notice or a standby item), it calls
 * `handInbound(messageId)` after its transaction commits. That enqueues the `conversations.respond`
 * job with the message id only; its handler (the guard, the AI, routing and the outbox) is the
 * reply step's (`InboundHandler`). The job id is derived from the message, so a retried
 * ingestion job enqueues it once. Until a handler is registered in `start/jobs.ts`, messages are
 * stored and wait (nothing is sent).
 */

/** What the reply step does with one stored inbound message. */
export type InboundHandler = (messageId: number) => Promise<void>

export const RESPOND_JOB = 'conversations.respond'

export function respondJobId(messageId: number) {
  return `respond-${messageId}`
}

/** Enqueues the reply step for a stored inbound message; false when no reply step is registered. */
export async function handInbound(messageId: number): Promise<boolean> {
  if (!(RESPOND_JOB in jobRegistry)) return false
  await dispatch(RESPOND_JOB as JobName, { messageId }, { jobId: respondJobId(messageId) })
  return true
}
