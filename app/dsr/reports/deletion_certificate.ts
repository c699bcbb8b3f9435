import { recordId, type ReportBuilder } from '#reports/registry'
import { heading, keyValues, paragraph, table, type ReportBlock } from '#reports/content'
import { NotFound } from '#core/errors'
import DsrErasure from '#dsr/models/dsr_erasure'

const SYSTEM_LABELS: Record<string, string> = {
  kms: 'Key management (subject keys)',
  postgres: 'Database',
  bullmq: 'Job queue',
  redis_cache: 'Cache',
  key_cache: 'In-memory key cache',
  file_storage: 'File storage',
}

const ACTION_LABELS: Record<string, string> = {
  deleted: 'deleted',
  stripped: 'kept as evidence, personal data removed',
  destroyed: 'destroyed',
  evicted: 'evicted',
}

/**
 * The deletion certificate of one erasure (`--record <erasure id>`): what was erased, when, how
 * many rows per system, the hashes of the evidence and what subprocessors may still hold. Built
 * only from the erasure's own record, so it reads the same whenever it is generated.
 */
const deletionCertificate: ReportBuilder = async ({ merchant, record }) => {
  const id = recordId(record)
  const erasure = id ? await DsrErasure.find(id) : null
  if (!erasure || (merchant && erasure.merchantId !== merchant.id)) throw new NotFound('erasure')
  const rows = erasure.counts.filter((c) => c.rows > 0 || c.system === 'postgres')
  const blocks: ReportBlock[] = [
    heading('Certificate'),
    paragraph(
      erasure.outcome === 'erased'
        ? 'Conversera, as processor, certifies that it erased the personal data of the data subject named in the request below, on the documented instruction of the controller (GDPR Art. 17 and Art. 28(3)(e); SCC Clause 8.5).'
        : 'Conversera, as processor, certifies that it searched every system that holds personal data for the data subject named in the request below and found none: there was nothing to erase.'
    ),
    keyValues([
      ['Request', erasure.caseReference ?? `erasure ${erasure.id}`],
      ['Outcome', erasure.outcome === 'erased' ? 'Erased' : 'No data found'],
      ['Started', erasure.startedAt.toUTC().toISO() ?? '-'],
      ['Completed', erasure.finishedAt.toUTC().toISO() ?? '-'],
      ['Subject keys destroyed', String(erasure.subjectKeysDestroyed)],
    ]),
    heading('What was erased, per system'),
    table(
      [
        { header: 'System', width: 2 },
        { header: 'Where', width: 3 },
        { header: 'Rows', width: 1, align: 'right' },
        { header: 'Action', width: 3 },
      ],
      rows.map((c) => [
        SYSTEM_LABELS[c.system] ?? c.system,
        c.place,
        String(c.rows),
        ACTION_LABELS[c.action] ?? c.action,
      ]),
      { empty: 'No rows held data of this person.' }
    ),
    heading('How'),
    paragraph(
      'Every value of the person was sealed under their own subject key. That key was destroyed, so every copy of those values, in the database, in backups and in logs, can no longer be read. The rows were then deleted from every table the field inventory maps, queued jobs naming them were removed, and cached entries and unwrapped keys were evicted.'
    ),
    paragraph(
      'Backups: each destroyed key is listed outside the database. A database restored from a backup taken before this erasure still cannot open the person’s values, because the hub refuses every listed key; `node ace dsr:reapply-erasures` deletes the restored rows again. Backups expire on their normal schedule.'
    ),
    heading('Evidence hashes (SHA-256)'),
    table(
      [
        { header: 'Evidence', width: 2 },
        { header: 'SHA-256', width: 5 },
      ],
      Object.entries(erasure.evidence).map(([name, hash]) => [name.replace(/_/g, ' '), hash])
    ),
    heading('Subprocessors'),
    table(
      [
        { header: 'Subprocessor', width: 2 },
        { header: 'Note', width: 6 },
      ],
      erasure.subprocessorNotes.map((n) => [n.name, n.note]),
      { empty: 'No subprocessor keeps copies beyond the hub’s erasure.' }
    ),
    paragraph(
      'The audit trail keeps the record of this request and its erasure (no personal data); its hash is listed above and `node ace audit:verify` checks the chain.',
      { muted: true }
    ),
  ]
  return {
    title: 'Deletion certificate',
    subtitle: erasure.caseReference ?? undefined,
    blocks,
  }
}

export default deletionCertificate
