import type { Principal } from '#access/principal'
import { can } from '#access/services/authorization'
import { scopedQuery } from '#access/services/tenant_scope'
import { NotFound } from '#core/errors'
import Report from '#reports/models/report'
import { reportKind, reportKinds, type ReportKind } from '#reports/registry'

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

/**
 * The report, when this principal may download it. Another tenant's report and a kind the
 * principal may not read answer alike (404), so ids of hidden reports leak nothing.
 */
export async function downloadableReport(principal: Principal, documentId: string) {
  const report = await scopedQuery(principal, Report).where('document_id', documentId).first()
  const definition = report ? reportKind(report.kind) : undefined
  if (!report || !definition || !(await can(principal, definition.permission))) {
    throw new NotFound('report')
  }
  return report
}
