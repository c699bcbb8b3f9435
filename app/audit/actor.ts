import { HttpContext } from '@adonisjs/core/http'
import type { Principal } from '#access/principal'
import type { ActorType } from '#audit/models/audit_event'

export interface AuditActor {
  type: ActorType
  id?: string | number | null
}

/** The actor a principal acts as: a token by its id, a person by their user id. */
export function actorOf(principal: Principal): AuditActor {
  return principal.kind === 'token'
    ? { type: 'token', id: principal.tokenId }
    : { type: 'user', id: principal.userId }
}

/**
 * Who is acting right now, named from `ctx.principal` (set by the authorize middleware): inside a
 * request without one (sign-in pages, public routes) the caller is anonymous; outside any request
 * (jobs, seeders, commands) it is the system. The audit trail uses this when an entry names no
 * actor, so services never pass the request's actor along.
 */
export function currentActor(): AuditActor {
  const ctx = HttpContext.get()
  if (!ctx) return { type: 'system' }
  return ctx.principal ? actorOf(ctx.principal) : { type: 'anonymous' }
}
