import auditCheckpoints from '#audit/services/audit_checkpoints'
import type { JobHandler } from '#core/queue'

/** The worker's periodic checkpoint; a quiet chain whose head is already signed gets none. */
export default class CheckpointChainJob implements JobHandler {
  async handle() {
    const checkpoint = await auditCheckpoints.take({ onlyIfMoved: true })
    return checkpoint ? { checkpointId: checkpoint.id, eventId: checkpoint.eventId } : null
  }
}
