import type { SubprocessorStatus } from '#vendors/models/subprocessor'
import { DomainError } from '#core/errors'

/*
 * proposed -> notice_published -> effective -> retired. A proposal can be withdrawn and a
 * published notice abandoned (both -> retired); nothing comes back from retired, since a
 * re-engagement is a new proposal with its own notice.
 */
export const TRANSITIONS: Record<SubprocessorStatus, SubprocessorStatus[]> = {
  proposed: ['notice_published', 'retired'],
  notice_published: ['effective', 'retired'],
  effective: ['retired'],
  retired: [],
}

export const STATUS_LABELS: Record<SubprocessorStatus, string> = {
  proposed: 'Proposed',
  notice_published: 'Notice published',
  effective: 'Effective',
  retired: 'Retired',
}

export function canTransition(from: SubprocessorStatus, to: SubprocessorStatus) {
  return TRANSITIONS[from].includes(to)
}

export class InvalidTransition extends DomainError {
  constructor(from: SubprocessorStatus, to: SubprocessorStatus) {
    const allowed = TRANSITIONS[from].map((s) => STATUS_LABELS[s]).join(' or ')
    super(
      'invalid_transition',
      `A subprocessor that is ${STATUS_LABELS[from].toLowerCase()} cannot become ${STATUS_LABELS[to].toLowerCase()}` +
        (allowed ? ` (allowed next: ${allowed.toLowerCase()}).` : ' (it is final).'),
      {
        status: 422,
        details: [
          { field: 'status', rule: 'transition', message: `Not allowed: ${from} -> ${to}` },
        ],
      }
    )
  }
}

export function assertTransition(from: SubprocessorStatus, to: SubprocessorStatus) {
  if (!canTransition(from, to)) throw new InvalidTransition(from, to)
}
