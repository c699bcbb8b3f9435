import AuditEvent from '#audit/models/audit_event'
import auditCheckpoints from '#audit/services/audit_checkpoints'

/**
 * The chain's state for the dashboard: the last verification's verdict (verifications are
 * themselves audited as `audit.chain_verified`, by the worker's job or an auditor), the events
 * appended since the newest signed checkpoint, and the latest checkpoints. Reads only.
 */
export async function chainStatus(checkpointLimit = 3) {
  const [lastVerification, status, checkpoints] = await Promise.all([
    AuditEvent.query().where('action', 'audit.chain_verified').orderBy('id', 'desc').first(),
    auditCheckpoints.status(),
    auditCheckpoints.latest(checkpointLimit),
  ])
  return {
    verification: lastVerification
      ? {
          valid: lastVerification.outcome === 'success',
          at: lastVerification.occurredAt,
          checked: Number(lastVerification.meta?.checked ?? 0),
          brokenAt: (lastVerification.meta?.brokenAt as number | undefined) ?? null,
        }
      : null,
    eventsSinceCheckpoint: status.eventsSinceCheckpoint,
    checkpoints,
  }
}
