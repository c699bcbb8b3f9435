import type { ReportBuilder } from '#reports/registry'
import { heading, keyValues, pageBreak, paragraph, table, type ReportBlock } from '#reports/content'
import { countryName } from '#core/countries'
import TransferImpactAssessment, {
  SUPPLEMENTARY_MEASURES,
  TIA_STEPS,
} from '#vendors/models/transfer_impact_assessment'
import transferAssessments, { measureInPlace } from '#vendors/services/transfer_assessments'
import { unbackedClaimsIn } from '#data_map/claimed_measures'

/** `tia`: every approved transfer impact assessment with its six EDPB steps and due state. */
const tiaReport: ReportBuilder = async ({ progress }) => {
  const tias = await TransferImpactAssessment.query()
    .where('status', 'approved')
    .orderBy('country_code')
  const blocks: ReportBlock[] = [
    heading('Summary'),
    table(
      ['Destination', 'Risk', 'Reviewed', 'Next review', 'Due state'],
      tias.map((t) => [
        `${countryName(t.countryCode)} (${t.countryCode})`,
        t.riskRating ?? '-',
        t.reviewedOn?.toISODate() ?? '-',
        t.nextReviewOn?.toISODate() ?? '-',
        t.dueState.replace('_', ' '),
      ]),
      { empty: 'No approved transfer impact assessment.' }
    ),
  ]
  for (const [index, tia] of tias.entries()) {
    const verdict = await transferAssessments.isTransferCompliant(tia.countryCode)
    blocks.push(
      pageBreak(),
      heading(`${tia.title}`),
      keyValues([
        ['Destination', `${countryName(tia.countryCode)} (${tia.countryCode})`],
        ['Risk rating', tia.riskRating ?? '-'],
        ['Reviewed on', tia.reviewedOn?.toISODate() ?? '-'],
        ['Next review', tia.nextReviewOn?.toISODate() ?? '-'],
        [
          'Supplementary measures',
          tia.supplementaryMeasures
            .map(
              (m) => SUPPLEMENTARY_MEASURES[m] + (measureInPlace(m) ? '' : ' (not in place yet)')
            )
            .join('; ') || 'None',
        ],
        [
          'Transfers to this country',
          verdict.compliant ? 'Compliant' : `Not compliant: ${verdict.reasons.join(' ')}`,
        ],
      ])
    )
    for (const [field, label] of TIA_STEPS) {
      // Approved assessments are complete (a database check); an approved text is evidence
      // and stays as written; what it claims too early is flagged
      const text = tia[field] ?? ''
      blocks.push(heading(label, 2), paragraph(text))
      const unbacked = unbackedClaimsIn(text)
      if (unbacked.length) {
        blocks.push(
          paragraph(`Not in place yet: ${unbacked.map((c) => c.text).join('; ')}.`, {
            muted: true,
          })
        )
      }
    }
    await progress(Math.round(((index + 1) / tias.length) * 100))
  }
  return { subtitle: 'EDPB Recommendations 01/2020, steps 1–6', blocks }
}

export default tiaReport
