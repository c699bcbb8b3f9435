import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type { Principal } from '#access/principal'
import User from '#access/models/user'
import { can } from '#access/services/authorization'
import { scopedQuery } from '#access/services/tenant_scope'
import { actorOf } from '#audit/actor'
import auditTrail from '#audit/services/audit_trail'

/** The permission that shows people by name where records keep account numbers. */
export const PEOPLE_PERMISSION = 'users:read'

/** A requester as printed in a signed manifest (`user #12`), back to its account number. */
export function userIdOfLabel(label: string | null | undefined) {
  const match = /^user #(\d+)$/.exec(label ?? '')
  return match ? Number(match[1]) : null
}

/**
 * Names for the user accounts a page shows by number (audit actors, report requesters), for a
 * principal allowed to read users; an empty map for anyone else, who keeps seeing numbers.
 * Names are sealed personal data: when any is opened, the read is recorded with its purpose
 * (`personal_data.read`), as the users pages do. Only users within the principal's reach.
 */
export async function namesOf(
  principal: Principal,
  userIds: Array<number | null | undefined>,
  purpose: string
): Promise<Map<number, string>> {
  const ids = [...new Set(userIds.filter((id): id is number => Number.isInteger(id)))]
  if (ids.length === 0) return new Map()
  return openNames(principal, purpose, (query) => query.whereIn('users.id', ids))
}

/**
 * Everyone within the principal's reach, by name, for a picker (the audit trail's "person"
 * filter); an empty map for principals who may not read users. Recorded like `namesOf`.
 */
export function everyoneByName(principal: Principal, purpose: string) {
  return openNames(principal, purpose, (query) => query)
}

async function openNames(
  principal: Principal,
  purpose: string,
  narrow: (query: ModelQueryBuilderContract<typeof User>) => ModelQueryBuilderContract<typeof User>
): Promise<Map<number, string>> {
  if (!(await can(principal, PEOPLE_PERMISSION))) return new Map()
  const users = await narrow(scopedQuery(principal, User))
  if (users.length === 0) return new Map()
  await auditTrail.record({
    action: 'personal_data.read',
    actor: actorOf(principal),
    merchantId: principal.merchantId,
    purpose,
    meta: { subject: 'users', fields: ['full_name'], count: users.length },
  })
  return new Map(users.map((user) => [user.id, user.fullName]))
}
