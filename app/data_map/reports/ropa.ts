import type { ReportBuilder } from '#reports/registry'
import { heading, keyValues, pageBreak, paragraph, table, type ReportBlock } from '#reports/content'
import ropaService, { retentionText } from '#data_map/services/ropa_service'
import { countryName } from '#core/countries'

/** The `ropa` report kind: the Art. 30(2) record as a signed PDF, overall or for one merchant. */
const ropa: ReportBuilder = async ({ merchant, progress }) => {
  const record = await ropaService.build(merchant)
  await progress(50)

  const blocks: ReportBlock[] = [
    heading('Processor and data protection officer (Art. 30(2)(a))'),
    keyValues([
      ['Processor', record.processor.name],
      ['Address', record.processor.address],
      ['Contact', record.processor.contactEmail],
      ['Data protection officer', `${record.dpo.name} <${record.dpo.email}>`],
      ['Representative', record.representative],
      ['Controllers covered', String(record.controllers.length)],
    ]),
  ]

  for (const [index, controller] of record.controllers.entries()) {
    if (index > 0) blocks.push(pageBreak())
    blocks.push(
      heading(`Controller: ${controller.name}`),
      keyValues([
        ['Merchant', controller.slug],
        ['Country', countryName(controller.country)],
        ['Address', controller.contact.address ?? 'not recorded'],
        ['Contact', controller.contact.email ?? 'not recorded'],
        [
          'Data protection officer',
          controller.dpo ? `${controller.dpo.name} <${controller.dpo.email}>` : 'None appointed',
        ],
        [
          'Representative (Art. 27)',
          controller.representative
            ? `${controller.representative.name}, ${controller.representative.contact}`
            : 'None designated',
        ],
      ]),
      heading('Categories of processing (Art. 30(2)(b))', 2),
      table(
        [
          { header: 'Activity', width: 2 },
          { header: 'Purpose', width: 1.4 },
          { header: 'Data categories', width: 2.4 },
          { header: 'Subjects', width: 1.4 },
          { header: 'Systems', width: 1.8 },
          { header: 'Retention', width: 1, align: 'right' },
        ],
        controller.activities.map((a) => [
          a.name,
          a.purpose.code,
          a.dataCategories.map((c) => c.code + (c.specialCategory ? ' (special)' : '')).join(', '),
          a.dataSubjects.map((s) => s.name).join(', '),
          a.systems.map((s) => `${s.name} (${s.country})`).join(', '),
          `${a.retention.days} d`,
        ]),
        { empty: 'No processing activities are recorded for this controller.' }
      ),
      paragraph(
        'Retention that applies per data category (the controller’s instruction, else the rule)',
        {
          muted: true,
        }
      ),
      table(
        [
          { header: 'Activity', width: 2 },
          { header: 'Per category', width: 6 },
        ],
        controller.activities.map((a) => [
          a.name,
          a.retention.categories.map(retentionText).join('\n'),
        ]),
        { empty: 'No processing activities are recorded for this controller.' }
      ),
      heading('Third-country transfers and safeguards (Art. 30(2)(c))', 2),
      table(
        [
          { header: 'Recipient', width: 1.6 },
          { header: 'Country', width: 1.2 },
          { header: 'From system', width: 1.4 },
          { header: 'Safeguard', width: 2.2 },
          { header: 'Recipient mechanism', width: 2 },
          { header: 'DPA signed', width: 1 },
          { header: 'Mechanism + TIA', width: 1.6 },
        ],
        controller.transfers.map((t) => [
          t.recipient,
          `${t.countryName} (${t.country})`,
          t.fromSystem,
          t.safeguards,
          t.recipientMechanism,
          t.dpaSignedOn ?? 'not recorded',
          t.compliant ? 'in force' : `gap: ${t.complianceNotes.join(' ')}`,
        ]),
        { empty: 'No transfers outside Egypt.' }
      )
    )
    await progress(50 + Math.round((40 * (index + 1)) / record.controllers.length))
  }

  blocks.push(
    pageBreak(),
    heading('Technical and organisational security measures (Art. 30(2)(d))'),
    table(
      ['Measure'],
      record.securityMeasures.map((m) => [m])
    ),
    paragraph(
      'Generated from the live data map and subprocessor register; it is not a hand-maintained copy.',
      { muted: true }
    )
  )
  await progress(100)

  return {
    title: merchant
      ? `Record of processing activities: ${merchant.legalName}`
      : 'Record of processing activities (all controllers)',
    subtitle: 'GDPR Art. 30(2) processor record',
    blocks,
  }
}

export default ropa
