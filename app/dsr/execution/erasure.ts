import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import auditTrail, { type AuditActor } from '#audit/services/audit_trail'
import { canonicalJson } from '#core/canonical_json'
import keyDestruction from '#keys/services/key_destruction'
import { wrappedKeyHash } from '#keys/services/destroyed_keys'
import SubjectKey from '#keys/models/subject_key'
import { scopeName } from '#keys/services/keyring'
import Subprocessor from '#vendors/models/subprocessor'
import { SUBJECT_COLUMN } from '#dsr/execution/inventory_plan'
import type { LocatedSubject, RowSelection } from '#dsr/execution/locator'
import { removeJobs } from '#dsr/execution/queued_jobs'
import DsrErasure, { type ErasureCount, type SubprocessorNote } from '#dsr/models/dsr_erasure'

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * The order to delete from: a table whose rows point at another's (a foreign key) goes first,
 * so the database's own constraints never stop an erasure half-way.
 */
export async function deletionOrder(tables: string[]) {
  const result = await db.rawQuery(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c
      WHERE c.contype = 'f' AND c.conrelid <> c.confrelid
        AND c.conrelid::regclass::text = ANY(?) AND c.confrelid::regclass::text = ANY(?)`,
    [tables, tables]
  )
  const parentsOf = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]))
  for (const { child, parent } of result.rows as { child: string; parent: string }[]) {
    parentsOf.get(child)?.add(parent)
  }
  // Children before parents: repeatedly take a table no remaining table points at
  const ordered: string[] = []
  const left = new Set(tables)
  while (left.size) {
    const next = [...left].find(
      (table) => ![...left].some((other) => other !== table && parentsOf.get(other)?.has(table))
    )
    const pick = next ?? [...left][0]
    ordered.push(pick)
    left.delete(pick)
  }
  return ordered
}

async function nullableColumns(table: string) {
  const result = await db.rawQuery(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ? AND is_nullable = 'YES'`,
    [table]
  )
  return new Set((result.rows as { column_name: string }[]).map((r) => r.column_name))
}

/** Evidence rows stay, without the columns that identify the person and their link to the customer. */
async function stripEvidence(selection: RowSelection, trx: typeof db | any) {
  const { spec } = selection
  const nullable = await nullableColumns(spec.table)
  // Identifying columns go; free text about the process (a refusal's reason) stays
  const identifying = Object.entries(spec.inventory.personal ?? {})
    .filter(([, personal]) => personal.identifiesSubject)
    .map(([column]) => column)
  const columns = [...identifying, ...(spec.byCustomer ? [SUBJECT_COLUMN] : [])].filter((column) =>
    nullable.has(column)
  )
  if (!columns.length) return 0
  const result = await trx.rawQuery(
    `UPDATE ${q(spec.table)} SET ${columns.map((c) => `${q(c)} = NULL`).join(', ')}
      WHERE ${selection.where}`,
    selection.bindings
  )
  return Number(result.rowCount ?? 0)
}

/** Deletes (or strips) every located row, children first, in one transaction. */
async function deleteRows(located: LocatedSubject): Promise<ErasureCount[]> {
  const byTable = new Map(located.selections.map((s) => [s.spec.table, s]))
  const order = await deletionOrder([...byTable.keys()])
  const files: Array<() => Promise<void>> = []
  const counts = await db.transaction(async (trx) => {
    const done: ErasureCount[] = []
    for (const table of order) {
      const selection = byTable.get(table)!
      if (selection.spec.evidence) {
        const rows = await stripEvidence(selection, trx)
        done.push({ system: 'postgres', place: table, rows, action: 'stripped' })
        continue
      }
      const result = await trx.rawQuery(
        `DELETE FROM ${q(table)} WHERE ${selection.where} RETURNING *`,
        selection.bindings
      )
      const stored = selection.spec.inventory.files
      if (stored) files.push(() => stored.remove(result.rows))
      done.push({ system: 'postgres', place: table, rows: result.rows.length, action: 'deleted' })
    }
    return done
  })
  for (const remove of files) await remove()
  return counts
}

/** Cached values keyed by the customer (`…customer:<id>` or `…customer:<id>:…`) in Redis. */
async function removeCacheEntries(customers: number[]) {
  let removed = 0
  for (const id of customers) {
    for (const pattern of [`*customer:${id}`, `*customer:${id}:*`]) {
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
        cursor = next
        if (keys.length) removed += await redis.del(...keys)
      } while (cursor !== '0')
    }
  }
  return removed
}

/** Notes on copies the hub cannot reach: AI providers' abuse-monitoring logs (item 38). */
export async function subprocessorNotes(): Promise<SubprocessorNote[]> {
  const providers = await Subprocessor.query().whereNotNull('ai_terms').orderBy('name')
  const notes: SubprocessorNote[] = []
  for (const provider of providers) {
    const terms = provider.aiTerms
    if (!terms) continue
    if (terms.zeroDataRetention) {
      notes.push({
        name: provider.name,
        note: 'Zero data retention: the provider keeps no copy of the minimised text it was sent.',
      })
    } else if (terms.abuseLogRetentionDays) {
      notes.push({
        name: provider.name,
        note: `Minimised message text sent for AI assistance may remain in the provider's abuse-monitoring logs for up to ${terms.abuseLogRetentionDays} days after it was sent; it is deleted by the provider at the end of that period and is never used for training.`,
      })
    }
  }
  return notes
}

export interface ErasureRequest {
  actor: AuditActor
  dsrCaseId?: number | null
  caseReference?: string | null
}

/**
 * Erases a located subject: destroys each customer's subject key (recorded outside the database,
 * so a restored backup stays unreadable), deletes their rows everywhere the inventory maps (evidence
 * rows are stripped instead), removes queued jobs naming them and cached entries, and records the
 * evidence for the deletion certificate. Callers check legal holds first (`executeCase` does).
 */
export async function eraseSubject(
  merchantId: number,
  located: LocatedSubject,
  request: ErasureRequest
) {
  const startedAt = DateTime.utc()
  const manifest = canonicalJson({
    customers: located.customers,
    tables: located.tables,
    jobs: located.jobs.length,
  })
  const keyHashes: string[] = []
  const scope = scopeName(merchantId)
  for (const customerId of located.customers) {
    const subjectRef = `customer:${customerId}`
    const key = await SubjectKey.query()
      .where('scope', scope)
      .where('subject_ref', subjectRef)
      .first()
    if (key?.wrapped) keyHashes.push(wrappedKeyHash(key.wrapped))
    await keyDestruction.destroySubjectKey(merchantId, subjectRef, {
      actor: request.actor,
      caseRef: request.caseReference ?? undefined,
    })
  }
  const counts: ErasureCount[] = []
  if (located.customers.length) {
    counts.push({
      system: 'kms',
      place: 'subject_keys',
      rows: located.customers.length,
      action: 'destroyed',
    })
  }
  counts.push(...(await deleteRows(located)))
  const jobs = await removeJobs(located.jobs)
  counts.push({ system: 'bullmq', place: 'queued and failed jobs', rows: jobs, action: 'deleted' })
  const cached = await removeCacheEntries(located.customers)
  counts.push({ system: 'redis_cache', place: 'cached entries', rows: cached, action: 'deleted' })
  counts.push({
    system: 'key_cache',
    place: 'unwrapped subject keys in memory',
    rows: located.customers.length,
    action: 'evicted',
  })
  const outcome = located.total > 0 ? 'erased' : 'no_data'
  const notes = outcome === 'erased' ? await subprocessorNotes() : []
  return db.transaction(async (trx) => {
    const event = await auditTrail.record(
      {
        action: 'dsr.erasure_completed',
        actor: request.actor,
        merchantId,
        target: request.dsrCaseId ? { type: 'dsr_case', id: request.dsrCaseId } : undefined,
        purpose: 'dsr_erasure',
        meta: {
          caseReference: request.caseReference ?? null,
          outcome,
          counts,
          manifestSha256: sha256(manifest),
        },
      },
      trx
    )
    return DsrErasure.create(
      {
        merchantId,
        dsrCaseId: request.dsrCaseId ?? null,
        caseReference: request.caseReference ?? null,
        counts,
        subjectKeysDestroyed: located.customers.length,
        evidence: {
          located_manifest_sha256: sha256(manifest),
          destroyed_key_hashes_sha256: sha256(keyHashes.sort().join('\n')),
          audit_event_hash: event.hash,
        },
        subprocessorNotes: notes,
        outcome,
        startedAt,
        finishedAt: DateTime.utc(),
        certificateDocumentId: null,
      },
      { client: trx }
    )
  })
}
