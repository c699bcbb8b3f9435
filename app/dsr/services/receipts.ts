import reportSigner from '#reports/services/report_signer'
import type DsrCase from '#dsr/models/dsr_case'

export const RECEIPT_TYP = 'dsr-receipt+jws'

/**
 * The signed receipt a merchant gets for a request: a compact JWS (ES256, the hub's report
 * signing key, public at `/reports/signing-key`) over the reference, type, the date received and
 * the deadlines. It names no person, so the merchant may file it anywhere.
 */
export class Receipts {
  payloadOf(dsrCase: DsrCase) {
    return {
      iss: 'conversera-privacy-hub',
      kind: 'dsr.receipt',
      case_id: dsrCase.id,
      merchant_id: dsrCase.merchantId,
      reference: dsrCase.reference,
      type: dsrCase.type,
      received_at: dsrCase.receivedOn.toISODate(),
      due_at: dsrCase.dueAt.toISODate(),
      internal_due_at: dsrCase.internalDueAt.toISODate(),
      issued_at: dsrCase.createdAt.toUTC().toISO(),
    }
  }

  issue(dsrCase: DsrCase) {
    return reportSigner.signCompact(this.payloadOf(dsrCase), RECEIPT_TYP)
  }

  /** The receipt's content if this hub signed it, else null. */
  verify(jws: string) {
    return reportSigner.verifyCompact(jws, RECEIPT_TYP)
  }
}

const receipts = new Receipts()
export default receipts
