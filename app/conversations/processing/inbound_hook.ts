import { dispatch } from '#core/queue'

/*
 * The one hand-over from ingestion to the reply step. When the worker has stored an inbound
 * customer message (not an echo, a reaction, a system notice or a standby item), it calls
 * `handInbound(messageId)` after its transaction commits. That enqueues the `conversations.respond`
 * job with the message id only; its handler (the guard, the AI, routing and the outbox) is the
 * reply step's (`InboundHandler`, `#conversations/processing/jobs/respond_job`). The job id is
 * derived from the message, so a retried ingestion job enqueues it once.
 */

/** What the reply step does with one stored inbound message. */
export type InboundHandler = (messageId: number) => Promise<void>

export const RESPOND_JOB = 'conversations.respond'

/** A stored inbound message: its id, and when it was stored (epoch milliseconds). */
export interface InboundMessage {
  id: number
  createdAt: number
}

/* The creation time keeps a reset or restored database from meeting an older message's job */
export function respondJobId(message: InboundMessage) {
  return `respond-${message.id}-${message.createdAt}`
}

/** Enqueues the reply step (`conversations.respond`, payload `{ messageId }`) for a stored inbound message. */
export async function handInbound(message: InboundMessage): Promise<boolean> {
  await dispatch(RESPOND_JOB, { messageId: message.id }, { jobId: respondJobId(message) })
  return true
}
