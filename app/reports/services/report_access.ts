import type { Principal } from '#access/principal'
import { can } from '#access/services/authorization'
import { scopedQuery } from '#access/services/tenant_scope'
import { NotFound } from '#core/errors'
import { PLATFORM_DOMAIN } from '#access/services/authorization'
import Report from '#reports/models/report'
import { reportKind, reportKinds, type ReportKind } from '#reports/registry'
import type { Verification } from '#reports/services/report_service'

/**
 * Who may see which reports: a kind's own permission (e.g. `access_review:read`) on top of the
 * route's `reports:read`, and a merchant principal only ever sees its own merchant's reports.
 */
export async function permittedKinds(principal: Principal): Promise<ReportKind[]> {
  const kinds: ReportKind[] = []
  for (const definition of reportKinds()) {
    if (await can(principal, definition.permission)) kinds.push(definition.kind)
  }
  return kinds
}

/** Reports of the permitted kinds this principal may list. */
export function visibleReports(principal: Principal, kinds: ReportKind[]) {
  return scopedQuery(principal, Report).whereIn('kind', kinds)
}

/** Whether this principal may see a report of `kind` issued for `merchantId` (null: platform). */
async function maySee(principal: Principal, kind: string, merchantId: number | null) {
  const definition = reportKind(kind)
  if (!definition || !(await can(principal, definition.permission))) return false
  const everyMerchant = principal.kind === 'user' && principal.domain === PLATFORM_DOMAIN
  return everyMerchant || (merchantId !== null && merchantId === principal.merchantId)
}

/**
 * The report, when this principal may download it. Another tenant's report and a kind the
 * principal may not read answer alike (404), so ids of hidden reports leak nothing.
 */
export async function downloadableReport(principal: Principal, documentId: string) {
  const report = await scopedQuery(principal, Report).where('document_id', documentId).first()
  if (!report || !(await maySee(principal, report.kind, report.merchantId))) {
    throw new NotFound('report')
  }
  return report
}

/**
 * A verdict as this principal may read it. Whoever holds a file may learn whether it is
 * authentic; what the hub knows about it (title, merchant, requester, period) is shown only to
 * those who may see that report.
 */
export async function verdictFor(principal: Principal, verdict: Verification) {
  const report = verdict.report
  if (!report || (await maySee(principal, report.kind, report.merchant?.id ?? null))) return verdict
  return { ...verdict, report: null }
}
