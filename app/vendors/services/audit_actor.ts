import { HttpContext } from '@adonisjs/core/http'
import type { AuditActor } from '#audit/services/audit_trail'

/**
 * The acting staff user for an audit event. Without one, inside a request the audit trail takes
 * the request's user; outside any request (jobs, seeds, commands) it is a system action.
 */
export function staffActor(userId: number | null | undefined): AuditActor | undefined {
  if (userId) return { type: 'user', id: userId }
  return HttpContext.get() ? undefined : { type: 'system' }
}
