import type DsrCase from '#dsr/models/dsr_case'
import { artifactLinks } from '#dsr/services/callbacks'

/**
 * A case as the merchant API shows it (snake_case, as the DSR API is specified). The subject's
 * identifiers are not echoed back, only which kinds were given.
 */
export function caseResource(dsrCase: DsrCase) {
  return {
    id: dsrCase.id,
    reference: dsrCase.reference,
    type: dsrCase.type,
    status: dsrCase.status,
    waiting_on: dsrCase.waitingOn ?? null,
    source: dsrCase.source,
    subject_identifiers: Object.keys(dsrCase.subject),
    identity_verified: dsrCase.identityVerified,
    received_at: dsrCase.receivedOn.toISODate(),
    due_at: dsrCase.dueAt.toISODate(),
    internal_due_at: dsrCase.internalDueAt.toISODate(),
    original_due_at: dsrCase.originalDueAt.toISODate(),
    extension: dsrCase.extensionMonths
      ? {
          months: dsrCase.extensionMonths,
          reason: dsrCase.extensionReason ?? null,
          extended_at: dsrCase.extendedAt?.toUTC().toISO() ?? null,
        }
      : null,
    records_found: dsrCase.recordsFound ?? null,
    legal_hold: (dsrCase.legalHoldId ?? null) !== null,
    refusal: dsrCase.refusalCode
      ? { code: dsrCase.refusalCode, text: dsrCase.refusalText ?? null }
      : null,
    artifacts: artifactLinks(dsrCase),
    created_at: dsrCase.createdAt.toUTC().toISO(),
    updated_at: dsrCase.updatedAt.toUTC().toISO(),
    closed_at: dsrCase.closedAt?.toUTC().toISO() ?? null,
  }
}
