import { extractText, getMeta } from 'unpdf'

export interface PdfText {
  totalPages: number
  /** Text of each page, in order. */
  pages: string[]
  /** Every page joined, with runs of whitespace collapsed, for `includes` assertions. */
  text: string
  /** Every page joined with all whitespace removed: table cells wrap long values like e-mails. */
  compact: string
  /** The PDF's info dictionary (Title, Author, DocumentId, ...). */
  info: Record<string, unknown>
}

/** Reads a PDF back the way a person would see it, so tests assert on what is printed. */
export async function readPdf(bytes: Uint8Array): Promise<PdfText> {
  // pdf.js detaches the buffer it is given; hand it copies so the caller's bytes stay usable
  const { totalPages, text } = await extractText(new Uint8Array(bytes), { mergePages: false })
  const { info } = await getMeta(new Uint8Array(bytes))
  const pages = text.map((page) => page.replace(/\s+/g, ' ').trim())
  return {
    totalPages,
    pages,
    text: pages.join(' '),
    compact: pages.join('').replace(/\s+/g, ''),
    info,
  }
}
