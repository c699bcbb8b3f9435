import type { JobHandler } from '#core/queue'
import { issueCaseReport } from '#dsr/services/case_report'

/** `dsr.case_report`: the closing report of a case (payload: the case id). */
export default class CaseReportJob implements JobHandler<{ caseId: number }> {
  async handle(payload: { caseId: number }) {
    const report = await issueCaseReport(payload.caseId)
    return { documentId: report?.documentId ?? null }
  }
}
