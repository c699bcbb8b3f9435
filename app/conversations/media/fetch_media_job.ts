import type { JobHandler } from '#core/queue'
import mediaStore from '#conversations/media/media_store'

/** An inbound media message id in (never a URL or token): fetch, check, seal, record. */
export default class FetchMediaJob implements JobHandler<{ messageId: number }> {
  async handle({ messageId }: { messageId: number }) {
    return { outcome: await mediaStore.fetch(Number(messageId)) }
  }
}
