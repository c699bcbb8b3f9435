import User from '#access/models/user'
import Merchant from '#merchants/models/merchant'
import type { JobContext, JobHandler } from '#core/queue'
import reportService from '#reports/services/report_service'
import { requesterLabel } from '#reports/generated_by'

export interface GenerateReportPayload {
  kind: string
  merchantId?: number | null
  period?: string | null
  /** A case reference or record id (never personal data). */
  record?: string | null
  /** The requesting user (an id: the queue never holds personal data). */
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
      record: payload.record,
      generatedBy: requesterLabel({ kind: 'user', userId: user.id, tokenId: null }),
      generatedByUserId: user.id,
      actor: { type: 'user', id: user.id },
      progress,
    })
    return { reportId: report.id, documentId: report.documentId }
  }
}
