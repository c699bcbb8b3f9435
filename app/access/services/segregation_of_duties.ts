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
  const actor: AuditActor = { type: 'user', id: approverUserId }
  await auditTrail.record({
    action: 'access.denied',
    outcome: 'denied',
    actor,
    merchantId: action.merchantId ?? null,
    target: action.target,
    meta: { rule: 'segregation_of_duties', what: action.what },
  })
  throw new SegregationOfDutiesViolation(action.what)
}
