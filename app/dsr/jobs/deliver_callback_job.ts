import type { JobContext, JobHandler } from '#core/queue'
import callbacks from '#dsr/services/callbacks'

/** `dsr.deliver_callback`: one attempt at POSTing a signed case event (retried with backoff). */
export default class DeliverCallbackJob implements JobHandler<{ deliveryId: number }> {
  async handle(payload: { deliveryId: number }, { attempt }: JobContext) {
    return { delivered: await callbacks.deliver(payload.deliveryId, attempt) }
  }
}
