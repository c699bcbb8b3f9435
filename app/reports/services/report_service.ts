import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { DateTime } from 'luxon'
import env from '#start/env'
import { auditedWrite } from '#audit/services/audited_write'
import auditTrail, { type AuditActor } from '#audit/services/audit_trail'
import { storagePath } from '#core/storage'
import fieldCipher from '#keys/services/field_cipher'
import { DomainError, FieldInvalid, NotFound } from '#core/errors'
import Merchant from '#merchants/models/merchant'
import Report, { type ReportManifest } from '#reports/models/report'
import { reportKind, type ReportKindDefinition } from '#reports/registry'
import { PERIOD_FORMAT } from '#reports/period'
import { documentIdIn, renderReport } from '#reports/services/pdf_layout'
import reportSigner from '#reports/services/report_signer'

export interface GenerateRequest {
  kind: string
  merchant?: Merchant | null
  period?: string | null
  /** The record a per-record kind is about (`--case`; see `ReportKindDefinition.record`). */
  record?: string | null
  /** Printed on the report and kept in its manifest: `requesterLabel()` or "system (…)", never a name. */
  generatedBy: string
  generatedByUserId?: number | null
  actor?: AuditActor
  progress?: (percent: number) => Promise<void>
}

export interface ReportSummary {
  documentId: string
  kind: string
  title: string
  generatedAt: string
  generatedBy: string
  merchant: { id: number; slug: string } | null
  period: string | null
  sha256: string
}

export type VerificationCode =
  | 'valid'
  | 'unknown_document'
  | 'content_altered'
  | 'signature_invalid'
  | 'not_a_pdf'

export interface Verification {
  valid: boolean
  code: VerificationCode
  message: string
  sha256: string
  /** What the file is (or claims to be); null when the hub never issued it. */
  report: ReportSummary | null
}

const MESSAGES: Record<VerificationCode, string> = {
  valid: 'Authentic: this file is exactly the report the hub generated and signed.',
  unknown_document: 'Not issued by this hub: no report with this content or document id exists.',
  content_altered:
    'Altered: the file names a report issued by this hub, but its bytes differ from the signed original.',
  signature_invalid:
    'Invalid signature: the stored manifest for this file does not carry a valid hub signature.',
  not_a_pdf: 'The file is not a PDF.',
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

function summaryOf(report: Report): ReportSummary {
  const manifest = report.manifest
  return {
    documentId: manifest.documentId,
    kind: manifest.kind,
    title: manifest.title,
    generatedAt: manifest.generatedAt,
    generatedBy: manifest.generatedBy,
    merchant: manifest.merchant,
    period: manifest.period,
    sha256: manifest.sha256,
  }
}

/** Checks `--merchant`/`--period` against what the kind takes, naming the offending field. */
export function checkReportArguments(
  kind: string,
  definition: ReportKindDefinition,
  request: Pick<GenerateRequest, 'merchant' | 'period' | 'record'>
) {
  const record = definition.record ?? 'none'
  if (record === 'required' && !request.record) {
    throw new FieldInvalid(
      'record',
      `The ${kind} report is about one case: name its reference.`,
      'reports_record_required'
    )
  }
  if (record === 'none' && request.record) {
    throw new FieldInvalid(
      'record',
      `The ${kind} report is not about one case.`,
      'reports_record_not_allowed'
    )
  }
  if (definition.merchant === 'required' && !request.merchant) {
    throw new FieldInvalid(
      'merchant',
      `The ${kind} report needs a merchant.`,
      'reports_merchant_required'
    )
  }
  if (definition.merchant === 'none' && request.merchant) {
    throw new FieldInvalid(
      'merchant',
      `The ${kind} report is not per merchant.`,
      'reports_merchant_not_allowed'
    )
  }
  if (definition.period === 'required' && !request.period) {
    throw new FieldInvalid(
      'period',
      `The ${kind} report needs a period, e.g. 2026-H1.`,
      'reports_period_required'
    )
  }
  if (definition.period === 'none' && request.period) {
    throw new FieldInvalid(
      'period',
      `The ${kind} report does not take a period.`,
      'reports_period_not_allowed'
    )
  }
  if (request.period && !PERIOD_FORMAT.test(request.period)) {
    throw new FieldInvalid(
      'period',
      'A period is a year, half-year, quarter or month: 2026, 2026-H1, 2026-Q3 or 2026-07.',
      'reports_period_format'
    )
  }
}

/**
 * Produces, stores and signs reports, and verifies files that claim to be one. Controllers, the
 * `reports.generate` job and the ace commands all go through here.
 */
/*
 * Reports can name people (an access review lists staff), so the stored file is sealed like any
 * personal-data field: under the merchant's key, or the platform key for platform-wide reports.
 * Shredding a merchant's keys therefore also shreds its stored reports.
 */
function fileContext(merchantId: number | null) {
  return { merchantId, table: 'reports', column: 'file' }
}

/** The scope a report's file is sealed under: its merchant's, unless the kind says platform. */
function sealingMerchant(kind: string, merchantId: number | null) {
  return reportKind(kind)?.sealedUnder === 'platform' ? null : merchantId
}

export class ReportService {
  async generate(request: GenerateRequest): Promise<Report> {
    const definition = reportKind(request.kind)
    if (!definition) {
      throw new FieldInvalid(
        'kind',
        `There is no report kind "${request.kind}".`,
        'reports_kind_unknown'
      )
    }
    checkReportArguments(request.kind, definition, request)
    const progress = request.progress ?? (async () => {})
    const merchant = request.merchant ?? undefined
    const period = request.period ?? undefined

    const { default: build } = await definition.build()
    const content = await build({
      merchant,
      period,
      record: request.record ?? undefined,
      generatedBy: request.generatedBy,
      actor: request.actor,
      progress: (percent) => progress(Math.round(Math.min(100, Math.max(0, percent)) * 0.7)),
    })

    const documentId = randomUUID()
    const generatedAt = new Date()
    generatedAt.setMilliseconds(0)
    const title = content.title ?? definition.title
    const pdf = await renderReport(
      {
        documentId,
        kind: request.kind,
        title,
        subtitle: content.subtitle,
        organisation: env.get('ORGANISATION_NAME'),
        generatedAt,
        generatedBy: request.generatedBy,
        merchant: merchant ? `${merchant.legalName} (${merchant.slug})` : undefined,
        period,
      },
      content
    )
    await progress(80)

    const manifest: ReportManifest = {
      version: 1,
      documentId,
      kind: request.kind,
      title,
      sha256: sha256Of(pdf),
      size: pdf.length,
      generatedAt: generatedAt.toISOString(),
      generatedBy: request.generatedBy,
      organisation: env.get('ORGANISATION_NAME'),
      merchant: merchant ? { id: merchant.id, slug: merchant.slug } : null,
      period: period ?? null,
    }
    const jws = await reportSigner.sign(manifest)
    await progress(90)

    const relativePath = `reports/${DateTime.fromJSDate(generatedAt, { zone: 'utc' }).toFormat('yyyy/MM')}/${documentId}.pdf.sealed`
    const absolutePath = storagePath(relativePath)
    await mkdir(dirname(absolutePath), { recursive: true, mode: 0o700 })
    const sealed = await fieldCipher.seal(
      pdf.toString('base64'),
      fileContext(sealingMerchant(request.kind, merchant?.id ?? null))
    )
    await writeFile(absolutePath, sealed, { mode: 0o600, flag: 'wx' })

    try {
      const report = await auditedWrite(
        async (trx) => {
          const row = new Report()
          row.fill({
            documentId,
            kind: request.kind,
            title,
            merchantId: merchant?.id ?? null,
            period: period ?? null,
            sha256: manifest.sha256,
            sizeBytes: pdf.length,
            manifest,
            jws,
            filePath: relativePath,
            generatedBy: request.generatedBy,
            generatedByUserId: request.generatedByUserId ?? null,
          })
          row.useTransaction(trx)
          await row.save()
          return row
        },
        {
          action: 'report.generated',
          actor: request.actor,
          merchantId: merchant?.id ?? null,
          target: { type: 'report', id: documentId },
          meta: { kind: request.kind, period: period ?? null, size: pdf.length },
        }
      )
      await progress(100)
      return report
    } catch (error) {
      await rm(absolutePath, { force: true })
      throw error
    }
  }

  /** The stored PDF, after checking it still matches its signed hash. */
  async read(report: Report): Promise<Buffer> {
    const sealed = await readFile(storagePath(report.filePath), 'utf8')
    const bytes = Buffer.from(
      await fieldCipher.open(sealed, fileContext(sealingMerchant(report.kind, report.merchantId))),
      'base64'
    )
    if (sha256Of(bytes) !== report.sha256) {
      throw new DomainError(
        'report_file_corrupt',
        'The stored file no longer matches its signed hash; it has been reported.',
        { status: 500 }
      )
    }
    return bytes
  }

  /** Reads a report for download and records who took it. */
  async download(report: Report, actor?: AuditActor) {
    const bytes = await this.read(report)
    await auditTrail.record({
      action: 'report.downloaded',
      actor,
      merchantId: report.merchantId,
      target: { type: 'report', id: report.documentId },
      meta: { kind: report.kind },
    })
    return bytes
  }

  async findByDocumentId(documentId: string) {
    const report = await Report.findBy('documentId', documentId)
    if (!report) throw new NotFound('report')
    return report
  }

  /**
   * Hashes the file, finds the manifest signed for that hash, and checks the signature. A file
   * whose hash is unknown but which carries a known document id was altered after issue.
   */
  async verify(bytes: Buffer, actor?: AuditActor): Promise<Verification> {
    const sha256 = sha256Of(bytes)
    const verdict = await this.judge(bytes, sha256)
    await auditTrail.record({
      action: 'report.verified',
      outcome: verdict.valid ? 'success' : 'failure',
      actor,
      merchantId: verdict.report?.merchant?.id ?? null,
      target: verdict.report ? { type: 'report', id: verdict.report.documentId } : undefined,
      meta: { code: verdict.code },
    })
    return verdict
  }

  private async judge(bytes: Buffer, sha256: string): Promise<Verification> {
    const verdict = (code: VerificationCode, report: Report | null): Verification => ({
      valid: code === 'valid',
      code,
      message: MESSAGES[code],
      sha256,
      report: report ? summaryOf(report) : null,
    })
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return verdict('not_a_pdf', null)

    const report = await Report.findBy('sha256', sha256)
    if (report) {
      const signed =
        report.manifest.sha256 === sha256 &&
        report.manifest.size === bytes.length &&
        report.manifest.documentId === report.documentId &&
        (await reportSigner.verify(report.manifest, report.jws))
      return verdict(signed ? 'valid' : 'signature_invalid', report)
    }
    const claimedId = documentIdIn(bytes)
    const claimed = claimedId ? await Report.findBy('documentId', claimedId) : null
    return verdict(claimed ? 'content_altered' : 'unknown_document', claimed)
  }
}

const reportService = new ReportService()
export default reportService
