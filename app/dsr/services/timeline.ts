import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { currentActor, type AuditActor } from '#audit/actor'
import DsrCaseEvent from '#dsr/models/dsr_case_event'
import type DsrCase from '#dsr/models/dsr_case'
import type { DsrStatus } from '#dsr/models/dsr_case'

export interface TimelineEntry {
  kind: string
  from?: DsrStatus | null
  to?: DsrStatus | null
  /** Codes and numbers only: the timeline is shown to the merchant and never holds personal data. */
  detail?: Record<string, string | number | boolean | null>
  actor?: AuditActor
}

/** Appends to a case's timeline, in the caller's transaction. */
export async function recordEvent(
  dsrCase: DsrCase,
  entry: TimelineEntry,
  trx?: TransactionClientContract
) {
  const actor = entry.actor ?? currentActor()
  return DsrCaseEvent.create(
    {
      dsrCaseId: dsrCase.id,
      kind: entry.kind,
      fromStatus: entry.from ?? null,
      toStatus: entry.to ?? null,
      actorType: actor.type,
      actorId: actor.id === null || actor.id === undefined ? null : String(actor.id),
      detail: entry.detail ?? {},
    },
    { client: trx }
  )
}

export function timelineOf(dsrCase: DsrCase) {
  return DsrCaseEvent.query().where('dsr_case_id', dsrCase.id).orderBy('id', 'asc')
}
