import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { AuditActor } from '#audit/services/audit_trail'
import { auditedWrite, saveAudited } from '#audit/services/audited_write'
import { DomainError, NotFound } from '#core/errors'
import { storagePath } from '#core/storage'
import fieldCipher from '#keys/services/field_cipher'
import type Merchant from '#merchants/models/merchant'
import type { LocatedSubject } from '#dsr/execution/locator'
import { collectSubjectData, toCsv, type ExportRow } from '#dsr/execution/subject_data'
import DsrExport from '#dsr/models/dsr_export'
import DsrDownloadLink from '#dsr/models/dsr_download_link'

/** How long a package is kept for the merchant to fetch. */
export const EXPORT_TTL_DAYS = 30
/** How long a portal download link works (once). */
export const LINK_TTL_MINUTES = 24 * 60

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')

/* The file is sealed like a report, bound to its own file id so it cannot be swapped. */
function fileContext(merchantId: number, filePath: string) {
  return {
    merchantId,
    table: 'dsr_exports',
    column: 'file',
    row: basename(filePath).split('.')[0],
  }
}

export interface ExportRequest {
  format: 'json' | 'csv'
  dsrCaseId?: number | null
  caseReference?: string | null
  merchantTerminationId?: number | null
  /** Redact other people's identifiers in messages (a subject's copy); not for the controller's own return. */
  redact?: boolean
  actor: AuditActor
}

export function packageDocument(
  merchant: Merchant,
  tables: Record<string, ExportRow[]>,
  meta: { caseReference?: string | null; generatedAt: string }
) {
  return {
    format: 'conversera-dsr-export/v1',
    controller: { name: merchant.legalName, slug: merchant.slug },
    processor: 'Conversera Privacy Hub',
    case_reference: meta.caseReference ?? null,
    generated_at: meta.generatedAt,
    note: 'Personal data held for the controller, per table. Other people’s phone numbers and e-mail addresses inside messages are redacted.',
    tables,
  }
}

/**
 * Builds the subject's package (JSON, or CSV on request), seals it under the merchant's key in
 * STORAGE_PATH and records it. "No data found" is a package too: an empty one.
 */
export async function createExport(
  merchant: Merchant,
  located: LocatedSubject,
  request: ExportRequest
) {
  const data = await collectSubjectData(merchant.id, located, { redact: request.redact })
  const generatedAt = DateTime.utc()
  const body =
    request.format === 'csv'
      ? toCsv(data.tables)
      : JSON.stringify(
          packageDocument(merchant, data.tables, {
            caseReference: request.caseReference,
            generatedAt: generatedAt.toISO()!,
          }),
          null,
          2
        )
  const bytes = Buffer.from(body, 'utf8')
  const fileId = randomUUID()
  const filePath = `dsr/exports/${generatedAt.toFormat('yyyy/MM')}/${fileId}.${request.format}.sealed`
  const absolute = storagePath(filePath)
  await mkdir(dirname(absolute), { recursive: true, mode: 0o700 })
  const sealed = await fieldCipher.seal(
    bytes.toString('base64'),
    fileContext(merchant.id, filePath)
  )
  await writeFile(absolute, sealed, { mode: 0o600, flag: 'wx' })
  const row = new DsrExport()
  row.fill({
    merchantId: merchant.id,
    dsrCaseId: request.dsrCaseId ?? null,
    caseReference: request.caseReference ?? null,
    merchantTerminationId: request.merchantTerminationId ?? null,
    customerId: located.customers.length === 1 ? located.customers[0] : null,
    format: request.format,
    records: data.records,
    summary: data.summary,
    sha256: sha256(bytes),
    sizeBytes: bytes.length,
    filePath,
    downloads: 0,
    expiresAt: generatedAt.plus({ days: EXPORT_TTL_DAYS }),
  })
  try {
    return await saveAudited(row, {
      action: 'dsr.export_created',
      actor: request.actor,
      merchantId: merchant.id,
      targetType: 'dsr_export',
      meta: {
        format: request.format,
        records: data.records,
        caseReference: request.caseReference ?? null,
        sha256: row.sha256,
      },
    })
  } catch (error) {
    await rm(absolute, { force: true })
    throw error
  }
}

export function contentTypeOf(row: DsrExport) {
  return row.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8'
}

export function fileNameOf(row: DsrExport) {
  return `dsr-export-${row.caseReference ?? row.id}.${row.format}`
}

/** The package's bytes after checking them against the recorded hash; each download is audited. */
export async function downloadExport(row: DsrExport, actor?: AuditActor) {
  if (row.expiresAt <= DateTime.utc()) {
    throw new DomainError('export_expired', 'This package has expired; request it again.', {
      status: 410,
    })
  }
  const sealed = await readFile(storagePath(row.filePath), 'utf8')
  const bytes = Buffer.from(
    await fieldCipher.open(sealed, fileContext(row.merchantId, row.filePath)),
    'base64'
  )
  if (sha256(bytes) !== row.sha256) {
    throw new DomainError('export_corrupt', 'The stored package no longer matches its hash.', {
      status: 500,
    })
  }
  await auditedWrite(
    (trx) => trx.from('dsr_exports').where('id', row.id).increment('downloads', 1),
    {
      action: 'dsr.export_downloaded',
      actor,
      merchantId: row.merchantId,
      target: { type: 'dsr_export', id: row.id },
      meta: { format: row.format, caseReference: row.caseReference, sha256: row.sha256 },
    }
  )
  return bytes
}

/** Removes packages' files (their rows go with the erasure or termination that calls this). */
export async function removeExportFiles(rows: Array<{ file_path?: string; filePath?: string }>) {
  for (const row of rows) {
    const path = row.file_path ?? row.filePath
    if (path) await rm(storagePath(path), { force: true })
  }
}

/**
 * A single-use link for the portal: the plaintext token is returned once (put it in the URL);
 * only its SHA-256 is kept.
 */
export async function issueDownloadLink(
  exportRow: DsrExport,
  options: { ttlMinutes?: number; actor?: AuditActor } = {}
) {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = DateTime.utc().plus({ minutes: options.ttlMinutes ?? LINK_TTL_MINUTES })
  const link = await auditedWrite(
    (trx) =>
      DsrDownloadLink.create(
        { dsrExportId: exportRow.id, tokenHash: sha256(token), expiresAt, consumedAt: null },
        { client: trx }
      ),
    (row) => ({
      action: 'dsr.download_link_issued',
      actor: options.actor,
      merchantId: exportRow.merchantId,
      target: { type: 'dsr_export', id: exportRow.id },
      meta: { linkId: row.id, expiresAt: expiresAt.toISO() },
    })
  )
  return { token, expiresAt, linkId: link.id }
}

/**
 * Spends a link: the first call gets the package, any later one (or after expiry) 404s alike.
 * `merchantId` is the caller's tenant: another merchant's link is not found.
 */
export async function consumeDownloadLink(token: string, merchantId: number, actor?: AuditActor) {
  const spent = await db.rawQuery(
    `UPDATE dsr_download_links l SET consumed_at = now()
       FROM dsr_exports e
      WHERE l.token_hash = ? AND l.consumed_at IS NULL AND l.expires_at > now()
        AND e.id = l.dsr_export_id AND e.merchant_id = ?
      RETURNING l.dsr_export_id AS id`,
    [sha256(token), merchantId]
  )
  const id = spent.rows[0]?.id
  if (!id) throw new NotFound('download link')
  const row = await DsrExport.findOrFail(id)
  return { row, bytes: await downloadExport(row, actor) }
}
