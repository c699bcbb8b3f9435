import Merchant from '#merchants/models/merchant'
import reportService from '#reports/services/report_service'
import DsrCase from '#dsr/models/dsr_case'

/** Issues the signed `dsr-case` report of a closed case and records it on the case. */
export async function issueCaseReport(caseId: number) {
  const dsrCase = await DsrCase.find(caseId)
  if (!dsrCase || dsrCase.isOpen) return null
  const merchant = await Merchant.findOrFail(dsrCase.merchantId)
  const report = await reportService.generate({
    kind: 'dsr-case',
    merchant,
    record: dsrCase.reference,
    generatedBy: 'system (DSR case)',
    actor: { type: 'system' },
  })
  dsrCase.reportDocumentId = report.documentId
  await dsrCase.save()
  return report
}
