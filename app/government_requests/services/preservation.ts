import type Decision from '#government_requests/models/decision'
import type GovernmentRequest from '#government_requests/models/government_request'
import legalHolds from '#dsr/services/legal_holds'
import LegalHold from '#dsr/models/legal_hold'
import subjectData from '#government_requests/services/subject_data'

export const HOLD_SOURCE = 'government_request' as const

/**
 * A preservation request freezes the approved scope (the DSR module's legal holds: purges and
 * erasure skip held data) until the day its order expires. Identifiers that name customers hold
 * those customers; a merchant in scope without identifiers is held as a whole.
 */
export class Preservation {
  async hold(request: GovernmentRequest, decision: Decision, actorUserId: number) {
    const identifiers = request.identifiers
    const expiresAt = request.preserveUntil!.endOf('day')
    const placed = []
    for (const merchantId of decision.approvedMerchantIds) {
      const customers = new Set<number>()
      for (const index of decision.approvedIdentifiers) {
        for (const id of await subjectData.resolve(merchantId, identifiers[index]))
          customers.add(id)
      }
      const targets: Array<number | null> = decision.approvedIdentifiers.length
        ? [...customers]
        : [null]
      for (const customerId of targets) {
        placed.push(
          await legalHolds.place(
            {
              scope: customerId ? 'subject' : 'merchant',
              merchantId,
              customerId,
              reason: `Preservation request ${request.reference} (${request.authorityName})`,
              source: HOLD_SOURCE,
              sourceRef: request.reference,
              expiresAt,
            },
            actorUserId
          )
        )
      }
    }
    return placed
  }

  /** The holds this request placed. */
  holdsOf(request: GovernmentRequest) {
    return LegalHold.query()
      .where({ source: HOLD_SOURCE, sourceRef: request.reference })
      .orderBy('id')
  }
}

const preservation = new Preservation()
export default preservation
