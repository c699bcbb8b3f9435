import User from '#access/models/user'
import Merchant from '#merchants/models/merchant'
import type { JobContext, JobHandler } from '#core/queue'
import reportService from '#reports/services/report_service'

export interface GenerateReportPayload {
  kind: string
  merchantId?: number | null
  period?: string | null
  /** The requesting user; their name is looked up here so the queue never holds it. */
  userId: number
}

/** The console's "generate" button: builds the report off the request path, with progress. */
export default class GenerateReportJob implements JobHandler<GenerateReportPayload> {
  async handle(payload: GenerateReportPayload, { progress }: JobContext) {
    const user = await User.findOrFail(payload.userId)
    const merchant = payload.merchantId ? await Merchant.findOrFail(payload.merchantId) : null
    const report = await reportService.generate({
      kind: payload.kind,
      merchant,
      period: payload.period,
      generatedBy: user.fullName,
      generatedByUserId: user.id,
      actor: { type: 'user', id: user.id },
      progress,
    })
    return { reportId: report.id, documentId: report.documentId }
  }
}
