import type { JobContext, JobHandler } from '#core/queue'
import retentionPurge from '#data_map/services/retention_purge'

/** `data_map.purge_expired`: the scheduled retention purge (payload is empty or `{ triggeredBy }`). */
export default class PurgeExpiredJob implements JobHandler<{ triggeredBy?: string }> {
  async handle(payload: { triggeredBy?: string }, { progress }: JobContext) {
    const run = await retentionPurge.run({
      triggeredBy: payload.triggeredBy ?? 'schedule',
      progress,
    })
    return { runId: run.id, rowsPurged: run.rowsPurged, rowsHeld: run.rowsHeld }
  }
}
