import type { JobHandler } from '#core/queue'
import workflow from '#dsr/services/workflow'

/** `dsr.process_case`: runs a case on the merchant's instruction (payload: the case id only). */
export default class ProcessCaseJob implements JobHandler<{ caseId: number }> {
  handle(payload: { caseId: number }) {
    return workflow.process(payload.caseId)
  }
}
