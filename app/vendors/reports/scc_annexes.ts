import type { ReportBuilder } from '#reports/registry'
import { heading, keyValues, pageBreak, paragraph, table, type ReportBlock } from '#reports/content'
import sccAnnexBuilder, { type AnnexParty } from '#vendors/services/scc_annexes'

const list = (values: string[], empty = 'None.') => (values.length ? values.join('; ') : empty)

function partiesTable(parties: AnnexParty[], empty: string) {
  return table(
    [
      { header: 'Name', width: 1.6 },
      { header: 'Role', width: 0.9 },
      { header: 'Address / country', width: 1.3 },
      { header: 'Contact', width: 1.6 },
      { header: 'Activities', width: 1.8 },
      { header: 'Joined', width: 1.2 },
    ],
    parties.map((p) => [
      p.name,
      p.role,
      p.address === p.country ? p.address : `${p.address} (${p.country})`,
      p.contact,
      p.activities,
      p.joined,
    ]),
    { empty }
  )
}

/** `scc-annexes`: Annexes I–III of every active SCC agreement (or those a merchant is party to). */
const sccAnnexes: ReportBuilder = async ({ merchant, progress }) => {
  const agreements = await sccAnnexBuilder.agreementsFor(merchant)
  const blocks: ReportBlock[] = []
  if (agreements.length === 0) blocks.push(paragraph('No active SCC agreement is recorded.'))

  for (const [index, agreement] of agreements.entries()) {
    const annexes = await sccAnnexBuilder.build(agreement, merchant)
    if (index > 0) blocks.push(pageBreak())
    blocks.push(
      heading(`${agreement.reference}: ${agreement.title}`),
      keyValues([
        ['Module', agreement.moduleLabel],
        ['Signed on', agreement.signedOn.toISODate()!],
        ['Docking clause (Clause 7)', agreement.dockingClause ? 'Included' : 'Not included'],
        ['Governing law', agreement.governingLawCountry],
      ]),
      heading('ANNEX I.A: List of parties', 2),
      paragraph('Data exporter(s)', { muted: true }),
      partiesTable(annexes.annexIA.exporters, 'No exporter recorded.'),
      paragraph('Data importer(s)', { muted: true }),
      partiesTable(annexes.annexIA.importers, 'No importer recorded.'),
      heading('ANNEX I.B: Description of the transfer', 2),
      keyValues([
        ['Categories of data subjects', list(annexes.annexIB.dataSubjects)],
        ['Categories of personal data', list(annexes.annexIB.dataCategories)],
        ['Sensitive data', list(annexes.annexIB.sensitiveData, 'None transferred.')],
        ['Frequency of the transfer', annexes.annexIB.frequency],
        ['Nature of the processing', annexes.annexIB.nature],
        ['Purposes', list(annexes.annexIB.purposes)],
        ['Transfers to subprocessors', annexes.annexIB.subprocessing],
        [
          'Controllers’ retention instructions',
          list(annexes.annexIB.retentionInstructions, 'None: the category rules apply.'),
        ],
      ]),
      paragraph('Retention period per processing activity', { muted: true }),
      table(
        [
          { header: 'Activity', width: 1.6 },
          { header: 'Days', width: 0.6, align: 'right' },
          { header: 'Basis', width: 2.2 },
          { header: 'Per category', width: 2.6 },
        ],
        annexes.annexIB.retention.map((r) => [r.activity, String(r.days), r.note, r.perCategory]),
        { empty: 'No processing activity is mapped for this transfer.' }
      ),
      heading('ANNEX I.C: Competent supervisory authority', 2),
      paragraph(annexes.annexIC),
      heading('ANNEX II: Technical and organisational measures', 2),
      table(
        ['Measure'],
        annexes.annexII.map((m) => [m])
      ),
      heading('ANNEX III: List of subprocessors', 2),
      paragraph(annexes.annexIIINote, { muted: true }),
      table(
        [
          { header: 'Subprocessor', width: 1.1 },
          { header: 'Entity and address', width: 1.8 },
          { header: 'Contact', width: 1.4 },
          { header: 'Service', width: 1.3 },
          { header: 'Countries', width: 1 },
          { header: 'Safeguard', width: 1.3 },
          { header: 'DPA', width: 0.8 },
        ],
        annexes.annexIII.map((s) => [
          s.name,
          `${s.entity}, ${s.address}`,
          s.contact,
          s.service,
          s.countries,
          s.mechanism,
          s.dpa,
        ]),
        { empty: 'See the note above.' }
      )
    )
    await progress(Math.round(((index + 1) / agreements.length) * 100))
  }

  return {
    subtitle: merchant ? `Agreements ${merchant.legalName} is party to` : 'All active agreements',
    blocks,
  }
}

export default sccAnnexes
