import type { ReportBuilder } from '#reports/registry'
import { barChart, heading, keyValues, paragraph, table, type ReportBlock } from '#reports/content'
import { countryName } from '#core/countries'
import { BAND_THRESHOLD } from '#government_requests/policy'
import transparency, { type Count, type Tally } from '#government_requests/services/transparency'
import { label } from '#government_requests/reports/labels'

/* A band is drawn at its top, and says so in its label. */
const bars = (rows: Tally, name: (key: string) => string) =>
  rows.map((row) => ({
    label: typeof row.count === 'number' ? name(row.key) : `${name(row.key)} (${row.count})`,
    value: typeof row.count === 'number' ? row.count : BAND_THRESHOLD - 1,
  }))

const shown = (count: Count) => String(count)

/** `transparency --period 2026H2`: the half-year's published figures with charts. */
const transparencyReport: ReportBuilder = async ({ period, progress }) => {
  const figures = await transparency.figures(period!)
  await progress(60)
  const section = (title: string, rows: Tally, name: (key: string) => string): ReportBlock[] => [
    heading(title, 2),
    barChart(title, bars(rows, name), { unit: 'requests' }),
    table(
      ['', 'Requests'],
      rows.map((r) => [name(r.key), shown(r.count)]),
      {
        empty: 'None.',
      }
    ),
  ]
  return {
    title: `Transparency report ${figures.period}`,
    subtitle: `Requests from public authorities, ${figures.from} to ${figures.to}`,
    blocks: [
      paragraph(
        `Counts from 1 to ${BAND_THRESHOLD - 1} are shown as the band “1–${BAND_THRESHOLD - 1}”, so that small numbers cannot identify anyone. Requests about an investigation of Conversera’s own conduct are outside this process and counted apart.`,
        { muted: true }
      ),
      heading('Summary'),
      keyValues([
        ['Requests received', shown(figures.requests)],
        ['Accounts specified', shown(figures.accountsSpecified)],
        [
          'Requests where some data was produced',
          figures.producedPercent === null ? '—' : `${figures.producedPercent}%`,
        ],
        [
          'Emergency requests',
          `${shown(figures.emergency.requests)} (data produced: ${shown(figures.emergency.produced)})`,
        ],
        [
          'Preservation requests',
          `${shown(figures.preservation.requests)} (holds placed: ${shown(figures.preservation.holdsPlaced)})`,
        ],
        [
          'Challenges',
          `${shown(figures.challenges.total)}: upheld ${shown(figures.challenges.upheld)}, dismissed ${shown(figures.challenges.dismissed)}, pending ${shown(figures.challenges.pending)}`,
        ],
        [
          'Notices to merchants',
          `sent ${shown(figures.notices.sent)}; deferred under a gag order ${shown(figures.notices.deferred)} (still deferred ${shown(figures.notices.stillDeferred)})`,
        ],
        ['Own-conduct investigations (outside this process)', shown(figures.ownConduct)],
      ]),
      ...section('By country', figures.byCountry, (code) => countryName(code)),
      ...section('By authority type', figures.byAuthorityType, (code) => label('authority', code)),
      ...section('By authority', figures.byAuthority, (name) => name),
      ...section('By instrument', figures.byInstrumentType, (code) => label('instrument', code)),
      ...section('By outcome', figures.byOutcome, (code) => label('outcome', code)),
    ],
  }
}

export default transparencyReport
