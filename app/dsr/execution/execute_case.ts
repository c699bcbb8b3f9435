import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { AuditActor } from '#audit/services/audit_trail'
import { Conflict, NotFound } from '#core/errors'
import Merchant from '#merchants/models/merchant'
import reportService from '#reports/services/report_service'
import legalHolds from '#dsr/services/legal_holds'
import type DsrCase from '#dsr/models/dsr_case'
import DsrExport from '#dsr/models/dsr_export'
import { locate, type Location } from '#dsr/execution/locator'
import { createExport, contentTypeOf, downloadExport, fileNameOf } from '#dsr/execution/exports'
import { eraseSubject } from '#dsr/execution/erasure'
import { flagCustomer, rectifyCustomer, type RectifiedField } from '#dsr/execution/customer_updates'

export type ExecutionOutcome = 'fulfilled' | 'no_data'

export type Artifact =
  | { kind: 'export'; id: number; format: 'json' | 'csv'; sha256: string }
  | { kind: 'report'; reportKind: string; documentId: string }
  | { kind: 'erasure'; id: number }
  | { kind: 'rectification'; customerId: number; fields: RectifiedField[] }
  | { kind: 'flag'; customerId: number; flag: 'restricted' | 'objected'; at: string }

export interface ExecutionResult {
  outcome: ExecutionOutcome
  recordsFound: number
  artifacts: Artifact[]
  location: Location
}

const SYSTEM_LABEL = 'system (DSR execution)'

async function report(kind: string, merchant: Merchant, record: number, actor: AuditActor) {
  const generated = await reportService.generate({
    kind,
    merchant,
    record: String(record),
    generatedBy: SYSTEM_LABEL,
    actor,
  })
  return { kind: 'report' as const, reportKind: kind, documentId: generated.documentId }
}

/** Access, portability and review of automated decisions: the package plus the Art. 15 report. */
async function provideCopy(
  dsrCase: DsrCase,
  merchant: Merchant,
  located: Awaited<ReturnType<typeof locate>>,
  actor: AuditActor
) {
  const artifacts: Artifact[] = []
  // Portability (Art. 20) asks for a commonly used format too: JSON and CSV
  const formats: Array<'json' | 'csv'> = dsrCase.type === 'portability' ? ['json', 'csv'] : ['json']
  let first: DsrExport | null = null
  for (const format of formats) {
    const exported = await createExport(merchant, located, {
      format,
      dsrCaseId: dsrCase.id,
      caseReference: dsrCase.reference,
      actor,
    })
    first ??= exported
    artifacts.push({ kind: 'export', id: exported.id, format, sha256: exported.sha256 })
  }
  artifacts.push(await report('dsr-access-report', merchant, first!.id, actor))
  return artifacts
}

function onlyCustomer(located: Location, dsrCase: DsrCase) {
  if (located.customers.length > 1) {
    throw new Conflict(
      'ambiguous_identity',
      `The identifiers of ${dsrCase.reference} match ${located.customers.length} customers; choose one first.`
    )
  }
  return located.customers[0] ?? null
}

/**
 * Carries out a DSR case (CONTRACTS.md "DSR execution interface"): locates the subject through
 * the field inventory, runs the case's type, records the outcome and artifacts on the case and
 * returns them. Erasure and rectification are refused with `legal_hold` (409) while a hold covers
 * the subject or the merchant. "No data found" is an outcome with its own report, not an error.
 */
export async function executeCase(
  dsrCase: DsrCase,
  options: { actor?: AuditActor } = {}
): Promise<ExecutionResult> {
  const actor = options.actor ?? { type: 'system' }
  const merchant = await Merchant.find(dsrCase.merchantId)
  if (!merchant) throw new NotFound('merchant')
  const located = await locate(merchant.id, dsrCase.subject, {
    customers: dsrCase.customerId ? [dsrCase.customerId] : [],
  })
  const artifacts: Artifact[] = []
  const caseReference = dsrCase.reference

  switch (dsrCase.type) {
    case 'access':
    case 'portability':
    case 'automated_decision_review':
      artifacts.push(...(await provideCopy(dsrCase, merchant, located, actor)))
      break
    case 'erasure': {
      onlyCustomer(located, dsrCase)
      await legalHolds.assertNotHeld(merchant.id, null)
      for (const customerId of located.customers) {
        await legalHolds.assertNotHeld(merchant.id, customerId)
      }
      const erasure = await eraseSubject(merchant.id, located, {
        actor,
        dsrCaseId: dsrCase.id,
        caseReference,
      })
      artifacts.push({ kind: 'erasure', id: erasure.id })
      const certificate = await report('deletion-certificate', merchant, erasure.id, actor)
      erasure.certificateDocumentId = certificate.documentId
      await erasure.save()
      artifacts.push(certificate)
      break
    }
    case 'rectification': {
      const customerId = onlyCustomer(located, dsrCase)
      if (customerId !== null) {
        await legalHolds.assertNotHeld(merchant.id, customerId)
        const fields = await rectifyCustomer(merchant.id, customerId, dsrCase.rectification ?? {}, {
          actor,
          caseReference,
        })
        artifacts.push({ kind: 'rectification', customerId, fields })
      }
      break
    }
    case 'restriction':
    case 'objection': {
      const customerId = onlyCustomer(located, dsrCase)
      if (customerId !== null) {
        const flag = dsrCase.type === 'restriction' ? 'restricted' : 'objected'
        const at = await flagCustomer(merchant.id, customerId, flag, { actor, caseReference })
        artifacts.push({ kind: 'flag', customerId, flag, at: at.toUTC().toISO()! })
      }
      break
    }
  }

  const outcome: ExecutionOutcome = located.total > 0 ? 'fulfilled' : 'no_data'
  await db
    .from('dsr_cases')
    .where('id', dsrCase.id)
    .update({
      outcome,
      artifacts: JSON.stringify(artifacts),
      executed_at: DateTime.utc().toJSDate(),
      records_found: located.total,
    })
  const { customers, tables, jobs, total } = located
  return {
    outcome,
    recordsFound: located.total,
    artifacts,
    location: { customers, tables, jobs, total },
  }
}

/**
 * The case's package for `GET /api/v1/dsr/:id/export` (dsr-cases' route): the newest package of
 * that format, checked against its hash; the download is audited.
 */
export async function exportPackage(
  dsrCase: DsrCase,
  options: { format?: 'json' | 'csv'; actor?: AuditActor } = {}
) {
  const row = await DsrExport.query()
    .where('dsr_case_id', dsrCase.id)
    .where('merchant_id', dsrCase.merchantId)
    .where('format', options.format ?? 'json')
    .orderBy('id', 'desc')
    .first()
  if (!row) throw new NotFound('export')
  return {
    contentType: contentTypeOf(row),
    filename: fileNameOf(row),
    body: await downloadExport(row, options.actor),
    export: row,
  }
}
