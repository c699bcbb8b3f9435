import objections from '#vendors/services/objections'
import transferAssessments from '#vendors/services/transfer_assessments'

/**
 * What other modules (the conversation guard, the dashboard) ask the vendor registers. Both
 * answers read the database every call, so an objection or a lapsed TIA takes effect at once.
 */
const vendors = {
  /** False while the subprocessor is not effective or the merchant has an open/upheld objection. */
  isFlowAllowed: (merchantId: number, subprocessorId: number) =>
    objections.isFlowAllowed(merchantId, subprocessorId),

  /** Valid Chapter V mechanism plus a current TIA, for a subprocessor id or a country code. */
  isTransferCompliant: (target: number | string) => transferAssessments.isTransferCompliant(target),
}

export default vendors
