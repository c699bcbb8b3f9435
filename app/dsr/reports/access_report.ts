import { recordId, type ReportBuilder } from '#reports/registry'
import { heading, keyValues, paragraph, table, type ReportBlock } from '#reports/content'
import { NotFound } from '#core/errors'
import ropaService, { retentionText } from '#data_map/services/ropa_service'
import { INTENTS } from '#conversations/ai/types'
import DsrExport from '#dsr/models/dsr_export'

/**
 * The Art. 15 information that goes with an access or portability package (`--record <export
 * id>`): confirmation, what was found, purposes, categories, recipients and subprocessors,
 * retention, transfers and their safeguards, the source and the logic of automated decisions,
 * read from the data map and the subprocessor register. "No data found" is a report too.
 */
const accessReport: ReportBuilder = async ({ merchant, record }) => {
  const id = recordId(record)
  const exported = id ? await DsrExport.find(id) : null
  if (!exported || !merchant || exported.merchantId !== merchant.id) throw new NotFound('export')
  const ropa = await ropaService.build(merchant)
  const controller = ropa.controllers[0]
  const found = exported.summary.tables.filter((t) => t.rows > 0)
  const categories = new Set(found.flatMap((t) => t.categories))
  const activities = controller.activities.filter((a) =>
    a.dataCategories.some((c) => categories.has(c.code))
  )
  const blocks: ReportBlock[] = [
    heading('Confirmation'),
    paragraph(
      exported.records > 0
        ? `The hub processes personal data of this person for ${controller.name}: ${exported.records} records in ${found.length} places, all included in the package (${exported.format.toUpperCase()}, SHA-256 ${exported.sha256}).`
        : `The hub searched every system that holds personal data for ${controller.name} and found no data of this person. No data found is the answer to this request.`
    ),
    keyValues([
      ['Request', exported.caseReference ?? `export ${exported.id}`],
      ['Controller', `${controller.name} (${controller.slug})`],
      ['Package', `${exported.format.toUpperCase()}, ${exported.sizeBytes} bytes`],
      ['Values that could not be read', String(exported.summary.unreadable)],
    ]),
    heading('What was found'),
    table(
      [
        { header: 'Where', width: 3 },
        { header: 'Records', width: 1, align: 'right' },
        { header: 'Data categories', width: 5 },
      ],
      found.map((t) => [t.table, String(t.rows), t.categories.join(', ') || '-']),
      { empty: 'No data found.' }
    ),
  ]
  if (exported.records > 0) {
    blocks.push(
      heading('Purposes and legal context (Art. 15(1)(a), (b))'),
      table(
        [
          { header: 'Processing', width: 3 },
          { header: 'Purpose', width: 3 },
          { header: 'Categories', width: 4 },
        ],
        activities.map((a) => [
          a.name,
          a.purpose.name,
          a.dataCategories.map((c) => c.name).join(', '),
        ]),
        { empty: 'No processing activity of the data map covers these categories.' }
      ),
      heading('Retention (Art. 15(1)(d))'),
      table(
        [
          { header: 'Category', width: 3 },
          { header: 'Kept for', width: 4 },
        ],
        activities
          .flatMap((a) => a.retention.categories)
          .filter((c, i, all) => all.findIndex((o) => o.code === c.code) === i)
          .filter((c) => categories.has(c.code))
          .map((c) => [c.code, retentionText(c)])
      ),
      heading('Recipients, subprocessors and transfers (Art. 15(1)(c), 15(2))'),
      table(
        [
          { header: 'Recipient', width: 3 },
          { header: 'Service', width: 3 },
          { header: 'Country', width: 2 },
          { header: 'Safeguard', width: 3 },
        ],
        controller.transfers.map((t) => [
          t.recipient,
          t.recipientService,
          t.countryName,
          t.safeguards,
        ]),
        { empty: 'The data does not leave Egypt.' }
      ),
      heading('Source (Art. 15(1)(g))'),
      paragraph(
        'Collected from the person when they messaged the controller on WhatsApp or Instagram (Meta delivers the messages), and from the controller’s own records of orders.'
      ),
      heading('Automated decisions (Art. 15(1)(h), Art. 22)'),
      paragraph(
        `Each incoming message is classified by an AI model into one intent (${INTENTS.join(', ')}) to draft a reply grounded in the controller’s instructions or to hand the conversation to a person. Opt-out, data-rights requests, a suspected minor, a complaint or a request for a human always go to a person. No decision with legal or similarly significant effect is made automatically; the person can ask for human review at any time.`
      )
    )
  }
  blocks.push(
    heading('Your rights'),
    paragraph(
      'The person may ask the controller for rectification, erasure, restriction, objection and portability, and may complain to a supervisory authority (in Egypt the Personal Data Protection Center; in the EU the authority of their residence).',
      { muted: true }
    )
  )
  return {
    title: exported.records > 0 ? 'Access report (GDPR Art. 15)' : 'Access report: no data found',
    subtitle: exported.caseReference ?? undefined,
    blocks,
  }
}

export default accessReport
