import type { JobHandler } from '#core/queue'
import keyDestruction from '#keys/services/key_destruction'

/** Finishes merchant key deletions whose pending window has passed. */
export default class PurgeDeletedKeysJob implements JobHandler {
  async handle() {
    return keyDestruction.purgeExpired()
  }
}
