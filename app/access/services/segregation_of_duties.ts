import auditTrail, { type AuditActor } from '#audit/services/audit_trail'
import { DomainError } from '#core/errors'

export class SegregationOfDutiesViolation extends DomainError {
  constructor(what: string) {
    super(
      'segregation_of_duties',
      `The person who prepared this ${what} cannot also approve it. Ask another approver.`,
      { status: 403, details: [{ field: 'approver', rule: 'segregation_of_duties' }] }
    )
  }
}

export class OwnRolesRefused extends DomainError {
  constructor() {
    super(
      'segregation_of_duties',
      'Nobody can change their own roles. Ask another administrator to do it.',
      { status: 403, details: [{ field: 'role', rule: 'segregation_of_duties' }] }
    )
  }
}

export interface SeparatedAction {
  /** What is being approved, in words for the error ("government disclosure"). */
  what: string
  target?: { type: string; id: string | number }
  merchantId?: number | null
}

/**
 * Segregation of duties: whoever prepared something may not approve it. A missing preparer
 * cannot be proven different, so it is refused too. A refusal is audited as `access.denied`.
 */
export async function assertNotSameActor(
  preparerUserId: number | null | undefined,
  approverUserId: number,
  what: string | SeparatedAction
) {
  const action = typeof what === 'string' ? { what } : what
  if (
    preparerUserId !== null &&
    preparerUserId !== undefined &&
    preparerUserId !== approverUserId
  ) {
    return
  }
  await recordRefusal(approverUserId, action)
  throw new SegregationOfDutiesViolation(action.what)
}

/**
 * Nobody grants or takes away their own roles, whatever their permissions: a role change
 * made by a signed-in user (or their token) on their own account is refused and audited.
 * Operators' `roles:assign` runs as the system and is audited as such.
 */
export async function assertNotOwnRoles(
  actor: AuditActor,
  userId: number,
  change: { role: string; domain: string; merchantId: number | null }
) {
  const actingUser = actor.type === 'user' ? Number(actor.id) : null
  if (actingUser !== userId) return
  await recordRefusal(userId, {
    what: `role change (${change.role} in ${change.domain})`,
    target: { type: 'user', id: userId },
    merchantId: change.merchantId,
  })
  throw new OwnRolesRefused()
}

function recordRefusal(actorUserId: number, action: SeparatedAction) {
  const actor: AuditActor = { type: 'user', id: actorUserId }
  return auditTrail.record({
    action: 'access.denied',
    outcome: 'denied',
    actor,
    merchantId: action.merchantId ?? null,
    target: action.target,
    meta: { rule: 'segregation_of_duties', what: action.what },
  })
}
