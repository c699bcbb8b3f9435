/**
 * What a report builder returns: plain data that the shared layout (`#reports/services/pdf_layout`)
 * draws. Builders never touch pdfkit, so every report gets the same header, footer, page numbers,
 * document id and table page breaks.
 */

export interface HeadingBlock {
  type: 'heading'
  text: string
  level: 1 | 2
}

export interface ParagraphBlock {
  type: 'paragraph'
  text: string
  /** Smaller grey text, for footnotes and legal remarks. */
  muted?: boolean
}

export interface KeyValueBlock {
  type: 'keyValue'
  pairs: Array<[label: string, value: string]>
}

export interface TableColumn {
  header: string
  /** Relative width; columns share the page width in proportion. */
  width?: number
  align?: 'left' | 'right'
}

export interface TableBlock {
  type: 'table'
  columns: TableColumn[]
  rows: string[][]
  /** Shown instead of an empty table. */
  empty?: string
}

export interface BarChartBlock {
  type: 'barChart'
  title: string
  bars: Array<{ label: string; value: number }>
  /** Unit shown after each value: one word, or singular and plural ("1 version", "2 versions"). */
  unit?: string | [one: string, other: string]
}

export interface PageBreakBlock {
  type: 'pageBreak'
}

export type ReportBlock =
  | HeadingBlock
  | ParagraphBlock
  | KeyValueBlock
  | TableBlock
  | BarChartBlock
  | PageBreakBlock

export interface ReportContent {
  /** Overrides the kind's title, e.g. "Record of processing activities: Nile Fashion". */
  title?: string
  /** One line under the title, e.g. the period or the merchant. */
  subtitle?: string
  blocks: ReportBlock[]
}

/* Small constructors so builders read like the document they produce. */

export const heading = (text: string, level: 1 | 2 = 1): HeadingBlock => ({
  type: 'heading',
  text,
  level,
})

export const paragraph = (text: string, options: { muted?: boolean } = {}): ParagraphBlock => ({
  type: 'paragraph',
  text,
  ...options,
})

export const keyValues = (pairs: KeyValueBlock['pairs']): KeyValueBlock => ({
  type: 'keyValue',
  pairs,
})

export const table = (
  columns: Array<TableColumn | string>,
  rows: string[][],
  options: { empty?: string } = {}
): TableBlock => ({
  type: 'table',
  columns: columns.map((column) => (typeof column === 'string' ? { header: column } : column)),
  rows,
  ...options,
})

export const barChart = (
  title: string,
  bars: BarChartBlock['bars'],
  options: { unit?: BarChartBlock['unit'] } = {}
): BarChartBlock => ({ type: 'barChart', title, bars, ...options })

export const pageBreak = (): PageBreakBlock => ({ type: 'pageBreak' })
