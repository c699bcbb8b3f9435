import { createRequire } from 'node:module'
import bidiModule, { type Bidi, type EmbeddingLevels } from 'bidi-js'
import * as fontkit from 'fontkit'

/*
 * Bidirectional, two-script text for pdfkit. pdfkit has no font fallback and lays a string out in
 * one direction, so every string the layout prints goes through here: it is broken into lines by
 * measured width, each line is reordered with the Unicode bidi algorithm (bidi-js), and drawn as
 * runs, each in the font that has its script (Noto Sans for Latin, Noto Sans Arabic for Arabic).
 * fontkit shapes an Arabic run (joining forms via GSUB) and writes it right to left itself.
 */

type Doc = PDFKit.PDFDocument
export type Weight = 'regular' | 'bold'
type Script = 'latin' | 'arabic'

const require = createRequire(import.meta.url)
const FONT_FILES: Record<Script, Record<Weight, string>> = {
  latin: {
    regular: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
  },
  arabic: {
    regular: require.resolve(
      '@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf'
    ),
    bold: require.resolve('@expo-google-fonts/noto-sans-arabic/700Bold/NotoSansArabic_700Bold.ttf'),
  },
}

/*
 * Line boxes in em, chosen by eye rather than taken from the fonts' hhea metrics: Noto Sans
 * Arabic reserves room for stacked marks that report text never has, which would double spacing.
 */
const ASCENT: Record<Script, number> = { latin: 1.07, arabic: 1.1 }
const DESCENT: Record<Script, number> = { latin: 0.3, arabic: 0.5 }

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/
const SPACE = /\s/
const DIRECTION_MARK = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/

// bidi-js is CommonJS exporting the factory itself; its typings describe an ES default export
const bidi = (bidiModule as unknown as () => Bidi)()

/*
 * Shaping a word costs about a millisecond (Noto's kerning tables are large) and report tables
 * repeat their words, so widths per em are kept for the process, like pdfkit's own word cache.
 */
const WORD_CACHE_LIMIT = 100_000
const wordWidths = new Map<string, number>()
function wordWidth(word: string, script: Script, weight: Weight) {
  const key = `${script}:${weight}:${word}`
  let width = wordWidths.get(key)
  if (width === undefined) {
    const font = face(script, weight)
    width = font.layout(word).advanceWidth / font.unitsPerEm
    if (wordWidths.size >= WORD_CACHE_LIMIT) wordWidths.clear()
    wordWidths.set(key, width)
  }
  return width
}

/*
 * Every Arabic feature switched off: one glyph per character, so the hidden copy of a run maps
 * back to exactly its letters (shaped glyphs share skeletons and dot marks between letters).
 */
const UNSHAPED = Object.fromEntries(
  [
    'ccmp',
    'locl',
    'isol',
    'fina',
    'fin2',
    'fin3',
    'medi',
    'med2',
    'init',
    'rlig',
    'calt',
    'liga',
    'clig',
    'mset',
    'mark',
    'mkmk',
    'curs',
    'kern',
    'rclt',
    'rvrn',
  ].map((tag) => [tag, false])
)

export interface TextStyle {
  size: number
  weight?: Weight
  color?: string
}

export interface BlockOptions extends TextStyle {
  width: number
  /**
   * Where lines sit in the box. Reports are English documents, so an Arabic value still starts
   * at the left of its cell; its words run right to left inside the line.
   */
  align?: 'left' | 'right' | 'center'
  lineGap?: number
  /** One line only, cut with "…" when it does not fit. */
  singleLine?: boolean
  /** Continue on a new page when a line would cross the bottom margin. */
  pageBreaks?: boolean
}

interface Run {
  text: string
  script: Script
  width: number
}

interface Line {
  runs: Run[]
  width: number
  rtl: boolean
  scripts: Set<Script>
}

function fontName(script: Script, weight: Weight) {
  return `hub-${script}-${weight}`
}

/*
 * Measuring, coverage and shaping use fontkit instances of their own, never the ones pdfkit
 * embeds: fontkit remembers each glyph's characters from its first use, and Arabic shaping shares
 * glyphs between letters, which would corrupt the embedded face's Unicode map.
 */
const faces = new Map<string, fontkit.Font>()
function face(script: Script, weight: Weight) {
  const name = fontName(script, weight)
  let font = faces.get(name)
  if (!font) {
    font = fontkit.openSync(FONT_FILES[script][weight])
    faces.set(name, font)
  }
  return font
}

/** Symbols the embedded fonts lack, printed as the characters people write for them. */
const SPELLED_OUT: Record<string, string> = {
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
  '→': '->',
  '←': '<-',
  '✓': 'yes',
}

export class PdfTextSetter {
  constructor(private doc: Doc) {
    for (const script of ['latin', 'arabic'] as const) {
      for (const weight of ['regular', 'bold'] as const) {
        doc.registerFont(fontName(script, weight), FONT_FILES[script][weight])
      }
    }
  }

  /** Height the text takes in a box `width` wide. */
  heightOf(text: string, options: BlockOptions) {
    return this.lines(text, options).reduce((sum, line) => sum + this.lineHeight(line, options), 0)
  }

  /** Width of the text on one line. */
  widthOf(text: string, style: TextStyle) {
    return this.lines(text, { ...style, width: Number.POSITIVE_INFINITY, singleLine: true })[0]
      .width
  }

  /** Draws the text from (x, y) down and leaves `doc.y` under it. */
  draw(text: string, x: number, y: number, options: BlockOptions) {
    const doc = this.doc
    const weight = options.weight ?? 'regular'
    let top = y
    for (const line of this.lines(text, options)) {
      const bottom = doc.page.height - doc.page.margins.bottom
      if (options.pageBreaks && top + this.lineHeight(line, options) > bottom) {
        doc.addPage()
        top = doc.page.margins.top
      }
      const align = options.align ?? 'left'
      let cursor =
        align === 'right'
          ? x + options.width - line.width
          : align === 'center'
            ? x + (options.width - line.width) / 2
            : x
      const baseline = top + this.ascent(line) * options.size
      for (const run of line.runs) {
        if (run.script === 'arabic') {
          this.drawShaped(run.text, cursor, baseline, weight, options)
        } else {
          doc.font(fontName(run.script, weight)).fontSize(options.size)
          if (options.color) doc.fillColor(options.color)
          doc.text(run.text, cursor, baseline, { lineBreak: false, baseline: 'alphabetic' })
        }
        cursor += run.width
      }
      top += this.lineHeight(line, options)
    }
    doc.x = x
    doc.y = top
  }

  /**
   * An Arabic run is painted as the outlines of its shaped glyphs, and written once more as
   * invisible unshaped text on top: readers and text extraction get the letters in reading order,
   * which the shaped glyphs alone cannot give (their Unicode mapping is lossy).
   */
  private drawShaped(
    text: string,
    x: number,
    baseline: number,
    weight: Weight,
    options: BlockOptions
  ) {
    const doc = this.doc
    const font = face('arabic', weight)
    const scale = options.size / font.unitsPerEm
    const shaped = font.layout(text)
    let pen = x
    shaped.glyphs.forEach((glyph, i) => {
      const position = shaped.positions[i]
      doc
        .save()
        .translate(pen + position.xOffset * scale, baseline - position.yOffset * scale)
        .scale(scale, -scale)
        .path(glyph.path.toSVG())
        .fill(options.color ?? 'black')
        .restore()
      pen += position.xAdvance * scale
    })
    const features = UNSHAPED as unknown as PDFKit.Mixins.OpenTypeFeatures[]
    doc.save().fillOpacity(0).font(fontName('arabic', weight)).fontSize(options.size)
    // Stretched to the painted width, so selection and extraction line up with what is seen
    const scaling = (100 * (pen - x)) / Math.max(doc.widthOfString(text, { features }), 0.01)
    doc.text(text, x, baseline, {
      lineBreak: false,
      baseline: 'alphabetic',
      features,
      horizontalScaling: scaling,
    } as PDFKit.Mixins.TextOptions)
    doc.restore()
  }

  private ascent(line: Line) {
    return Math.max(...[...line.scripts].map((script) => ASCENT[script]))
  }

  private lineHeight(line: Line, options: BlockOptions) {
    const descent = Math.max(...[...line.scripts].map((script) => DESCENT[script]))
    return (this.ascent(line) + descent) * options.size + (options.lineGap ?? 0)
  }

  /** Tables measure a cell before drawing it: the broken lines are kept for the next ask. */
  private recentLines = new Map<string, Line[]>()

  /** Lines in visual order, each a list of runs left to right. */
  private lines(text: string, options: BlockOptions): Line[] {
    const key = `${options.width}|${options.size}|${options.weight}|${options.singleLine}|${text}`
    const known = this.recentLines.get(key)
    if (known) return known
    const lines = this.breakLines(text, options)
    if (this.recentLines.size >= 500) this.recentLines.clear()
    this.recentLines.set(key, lines)
    return lines
  }

  private breakLines(text: string, options: BlockOptions): Line[] {
    const lines: Line[] = []
    for (const paragraph of this.printable(text).split('\n')) {
      lines.push(...this.paragraphLines(paragraph, options))
      if (options.singleLine) break
    }
    return lines
  }

  private paragraphLines(paragraph: string, options: BlockOptions): Line[] {
    const weight = options.weight ?? 'regular'
    const size = options.size
    const levels = bidi.getEmbeddingLevels(paragraph)
    const rtl = (levels.paragraphs[0]?.level ?? 0) % 2 === 1
    const scripts = this.scriptsOf(paragraph, levels.levels, weight)
    const line = (start: number, end: number) => {
      let stop = end
      while (stop > start && SPACE.test(paragraph[stop - 1])) stop--
      const visual = this.visualLine(paragraph, levels, scripts, start, stop, weight, size)
      visual.rtl = rtl
      return visual
    }

    // Advance widths summed character by character pick the breaks (cheap even for huge text);
    // each line is then measured as shaped and given back a word while it still overflows.
    const advance = [0]
    scripts.forEach((script, i) => {
      advance.push(advance[i] + wordWidth(paragraph[i], script, weight) * size)
    })
    const fits = (start: number, end: number) => advance[end] - advance[start] <= options.width

    const lines: Line[] = []
    let start = 0
    while (start < paragraph.length || lines.length === 0) {
      let end = start
      while (end < paragraph.length && fits(start, end + 1)) end++
      if (options.singleLine) {
        const visual = line(start, paragraph.length)
        return [
          visual.width <= options.width ? visual : this.ellipsize(line, start, end, options, rtl),
        ]
      }
      if (end < paragraph.length) {
        const space = paragraph.lastIndexOf(' ', end)
        if (space > start) end = space
        else if (end === start) end = start + 1
      }
      let visual = line(start, end)
      while (visual.width > options.width) {
        const space = paragraph.lastIndexOf(' ', end - 1)
        if (space <= start) break
        end = space
        visual = line(start, end)
      }
      lines.push(visual)
      start = end
      while (start < paragraph.length && paragraph[start] === ' ') start++
      if (end === 0 && paragraph.length === 0) break
    }
    return lines
  }

  private ellipsize(
    line: (start: number, end: number) => Line,
    start: number,
    end: number,
    options: BlockOptions,
    rtl: boolean
  ): Line {
    const weight = options.weight ?? 'regular'
    const ellipsis = this.width('…', 'latin', weight, options.size)
    let visual: Line
    do {
      visual = line(start, end)
      end--
    } while (end > start && visual.width + ellipsis > options.width)
    const mark: Run = { text: '…', script: 'latin', width: ellipsis }
    visual.runs = rtl ? [mark, ...visual.runs] : [...visual.runs, mark]
    visual.width += ellipsis
    return visual
  }

  /** The line's characters in display order, grouped into runs of one script and direction. */
  private visualLine(
    paragraph: string,
    levels: EmbeddingLevels,
    scripts: Script[],
    start: number,
    end: number,
    weight: Weight,
    size: number
  ): Line {
    const order = Array.from({ length: end - start }, (_, i) => start + i)
    if (end > start) {
      for (const [from, to] of bidi.getReorderSegments(paragraph, levels, start, end - 1)) {
        const slice = order.slice(from - start, to - start + 1).reverse()
        order.splice(from - start, slice.length, ...slice)
      }
    }
    const mirrored =
      end > start
        ? bidi.getMirroredCharactersMap(paragraph, levels.levels, start, end - 1)
        : new Map()
    const runs: Run[] = []
    const used = new Set<Script>(['latin'])
    let i = 0
    while (i < order.length) {
      const first = order[i]
      const level = levels.levels[first]
      const script = scripts[first]
      let j = i + 1
      while (
        j < order.length &&
        levels.levels[order[j]] === level &&
        scripts[order[j]] === script &&
        Math.abs(order[j] - order[j - 1]) === 1
      ) {
        j++
      }
      // Direction marks steer the algorithm but print nothing
      const indices = order.slice(i, j).filter((k) => !DIRECTION_MARK.test(paragraph[k]))
      let text: string
      if (level % 2 === 1 && script === 'arabic') {
        // fontkit reverses and mirrors an Arabic run itself: hand it over in reading order
        text = [...indices]
          .reverse()
          .map((k) => paragraph[k])
          .join('')
      } else {
        text = indices.map((k) => mirrored.get(k) ?? paragraph[k]).join('')
      }
      used.add(script)
      if (text) runs.push({ text, script, width: this.width(text, script, weight, size) })
      i = j
    }
    return {
      runs,
      width: runs.reduce((sum, run) => sum + run.width, 0),
      rtl: false,
      scripts: used,
    }
  }

  /**
   * The font for each character: Arabic letters take the Arabic face; spaces and punctuation
   * inside an Arabic phrase stay with it (so the phrase is shaped as one run); the rest is Latin.
   */
  private scriptsOf(paragraph: string, levels: Uint8Array, weight: Weight): Script[] {
    const arabicFont = face('arabic', weight)
    const neutral = (char: string) => /[\s\p{P}]/u.test(char)
    // Index of the next non-space character after each position (-1 when none)
    const nextVisible = new Int32Array(paragraph.length + 1).fill(-1)
    for (let i = paragraph.length - 1; i >= 0; i--) {
      nextVisible[i] = SPACE.test(paragraph[i + 1] ?? '') ? nextVisible[i + 1] : i + 1
      if (i + 1 >= paragraph.length) nextVisible[i] = -1
    }
    const scripts: Script[] = []
    for (let i = 0; i < paragraph.length; i++) {
      const char = paragraph[i]
      if (ARABIC.test(char)) {
        scripts.push('arabic')
        continue
      }
      const following = nextVisible[i]
      const joinsArabic =
        i > 0 &&
        scripts[i - 1] === 'arabic' &&
        levels[i - 1] === levels[i] &&
        following >= 0 &&
        levels[following] === levels[i] &&
        neutral(char) &&
        (ARABIC.test(paragraph[following]) || neutral(paragraph[following])) &&
        arabicFont.hasGlyphForCodePoint(char.codePointAt(0)!)
      scripts.push(joinsArabic ? 'arabic' : 'latin')
    }
    return scripts
  }

  /** Width as shaped, summed word by word (shaping and kerning stop at spaces). */
  private width(text: string, script: Script, weight: Weight, size: number) {
    let total = 0
    for (const word of text.split(/( )/)) {
      if (word) total += wordWidth(word, script, weight)
    }
    return total * size
  }

  /** Characters neither face has print as "?", never as an empty box. */
  private printable(text: string) {
    const latin = face('latin', 'regular')
    const arabic = face('arabic', 'regular')
    return Array.from(text.replace(/\r\n?/g, '\n').replace(/\t/g, ' '), (char) => {
      const codePoint = char.codePointAt(0)!
      if (char === '\n' || latin.hasGlyphForCodePoint(codePoint)) return char
      if (arabic.hasGlyphForCodePoint(codePoint)) return char
      if (SPELLED_OUT[char]) return SPELLED_OUT[char]
      // Marks that only steer direction carry no glyph but must reach bidi
      return DIRECTION_MARK.test(char) ? char : '?'
    }).join('')
  }
}
