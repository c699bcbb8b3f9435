import type { AuditActor } from '#audit/services/audit_trail'

/**
 * The acting staff user for an audit event; `undefined` lets the audit trail take the request's
 * user (or record a system action when there is no request, as in jobs and seeds).
 */
export function staffActor(userId: number | null | undefined): AuditActor | undefined {
  return userId ? { type: 'user', id: userId } : undefined
}
