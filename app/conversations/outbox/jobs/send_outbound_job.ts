import type { JobHandler } from '#core/queue'
import outbox from '#conversations/outbox/outbox'

/** Sends one outbox row; the outbox itself schedules retries with backoff. */
export default class SendOutboundJob implements JobHandler<{ outboundId: number }> {
  async handle({ outboundId }: { outboundId: number }) {
    return { state: await outbox.send(outboundId) }
  }
}
