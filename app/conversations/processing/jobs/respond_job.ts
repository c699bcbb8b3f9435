import type { JobHandler } from '#core/queue'
import responder from '#conversations/processing/responder'

/** An inbound message id in (never its text): guard, classify, route, queue the reply. */
export default class RespondJob implements JobHandler<{ messageId: number }> {
  async handle({ messageId }: { messageId: number }) {
    const { outcome, outboundIds } = await responder.respond(messageId)
    return { outcome, outbound: outboundIds.length }
  }
}
