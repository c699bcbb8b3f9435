import { recordId, type ReportBuilder } from '#reports/registry'
import { heading, keyValues, paragraph, table, type ReportBlock } from '#reports/content'
import { NotFound } from '#core/errors'
import MerchantTermination from '#dsr/models/merchant_termination'
import { subprocessorNotes } from '#dsr/execution/erasure'

const iso = (value: { toUTC(): { toISO(): string | null } } | null) =>
  value ? (value.toUTC().toISO() ?? '-') : '-'

/**
 * The termination certificate of a merchant (`--record <termination id>`): its choice (return or
 * delete), who asked, who prepared and who approved the deletion, what was shredded and purged.
 * Sealed and signed under the platform key (`sealedUnder: 'platform'`): the merchant's keys are
 * gone, and the certificate must outlive them.
 */
const terminationCertificate: ReportBuilder = async ({ merchant, record }) => {
  const id = recordId(record)
  const termination = id ? await MerchantTermination.find(id) : null
  if (!termination || !merchant || termination.merchantId !== merchant.id) {
    throw new NotFound('termination')
  }
  const counts = termination.counts ?? []
  const notes = await subprocessorNotes()
  const blocks: ReportBlock[] = [
    heading('Certificate'),
    paragraph(
      `Conversera, as processor, certifies that at the end of its service to ${merchant.legalName} it ${termination.choice === 'return' ? 'returned all personal data to the controller and then deleted' : 'deleted'} all personal data it processed on the controller’s behalf, and every copy of it, as GDPR Art. 28(3)(g) and SCC Clause 8.5 require. No law required any of it to be kept.`
    ),
    keyValues([
      ['Controller', `${merchant.legalName} (${merchant.slug})`],
      ['Choice', termination.choice === 'return' ? 'Return, then delete' : 'Delete'],
      ['Requested', iso(termination.requestedAt)],
      ['Deletion not before', iso(termination.deleteAfter)],
      ['Prepared by', termination.preparedByUserId ? `user #${termination.preparedByUserId}` : '-'],
      ['Approved by', termination.approvedByUserId ? `user #${termination.approvedByUserId}` : '-'],
      ['Executed', iso(termination.executedAt)],
      [
        'Returned package',
        termination.choice === 'return'
          ? 'made available to the controller during the grace period, then deleted'
          : 'not requested',
      ],
    ]),
    heading('What was shredded and purged'),
    table(
      [
        { header: 'System', width: 2 },
        { header: 'Where', width: 4 },
        { header: 'Count', width: 1, align: 'right' },
        { header: 'Action', width: 2 },
      ],
      counts.map((c) => [c.system, c.place, String(c.rows), c.action])
    ),
    heading('How'),
    paragraph(
      'The merchant’s KMS key was scheduled for deletion and every data key, subject key and blind-index root wrapped under it was dropped, so every value of the merchant, in the database, in backups and in files, is unreadable from that moment. Its rows were then purged, its channels disconnected, its queued jobs removed, its users disabled and its API tokens revoked.'
    ),
    paragraph(
      'What remains is evidence without personal data: the merchant’s name and status, this termination record, this certificate and the audit trail.'
    ),
    heading('Subprocessors'),
    table(
      [
        { header: 'Subprocessor', width: 2 },
        { header: 'Note', width: 6 },
      ],
      notes.map((n) => [n.name, n.note]),
      { empty: 'No subprocessor keeps copies beyond the hub’s deletion.' }
    ),
  ]
  return { title: 'Termination certificate', subtitle: merchant.legalName, blocks }
}

export default terminationCertificate
