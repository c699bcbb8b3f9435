import { readFile } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import { currentActor } from '#audit/actor'
import { isApiRequest } from '#core/api_error'
import { principalOf } from '#access/principal'
import reportService from '#reports/services/report_service'
import reportSigner from '#reports/services/report_signer'
import { downloadableReport, verdictFor } from '#reports/services/report_access'
import { verifyReportValidator } from '#reports/validators/report'
import { namesOf, userIdOfLabel } from '#access/services/people'
import { REPORT_REVIEW_PURPOSE } from '#reports/generated_by'

/**
 * Anyone holding a report can check it here (its details only if they may see that report);
 * auditors can also verify offline with the public key.
 */
export default class ReportVerificationController {
  async show({ view }: HttpContext) {
    return view.render('pages/reports/verify', { verdict: null })
  }

  /** Answers with a verdict (200 either way): an altered file is a finding, not a request error. */
  async verify(ctx: HttpContext) {
    const { request, response, view } = ctx
    const { report } = await request.validateUsing(verifyReportValidator)
    const verdict = await verdictFor(
      principalOf(ctx),
      await reportService.verify(await readFile(report.tmpPath!), currentActor())
    )
    if (isApiRequest(ctx)) {
      return response.json(verdict)
    }
    // The manifest names the requester by account number; those who may read users see the name
    const requesterId = userIdOfLabel(verdict.report?.generatedBy)
    const names = await namesOf(principalOf(ctx), [requesterId], REPORT_REVIEW_PURPOSE)
    return view.render('pages/reports/verify', {
      verdict,
      fileName: report.clientName,
      requesterName: requesterId ? (names.get(requesterId) ?? null) : null,
    })
  }

  /** The public ES256 key (JWK) that signs every report manifest. */
  async signingKey({ response }: HttpContext) {
    return response
      .header('cache-control', 'public, max-age=3600')
      .json(await reportSigner.publicJwk())
  }

  /** Every key a hub signature may name (JWKS): the current one and those retired by rotation. */
  async signingKeys({ response }: HttpContext) {
    return response
      .header('cache-control', 'public, max-age=3600')
      .json(await reportSigner.publicJwks())
  }

  /** A report's signed manifest and detached JWS, for verifying offline against the public key. */
  async manifest(ctx: HttpContext) {
    const report = await downloadableReport(principalOf(ctx), ctx.params.documentId)
    return ctx.response.json({ manifest: report.manifest, jws: report.jws })
  }
}
