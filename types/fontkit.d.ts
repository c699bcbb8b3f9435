/*
 * fontkit is pdfkit's own font engine (installed with it). The report layout uses it directly to
 * shape Arabic into outlines; only the parts it calls are declared here.
 */
declare module 'fontkit' {
  export interface Glyph {
    path: { toSVG(): string }
  }
  export interface GlyphPosition {
    xAdvance: number
    xOffset: number
    yOffset: number
  }
  export interface GlyphRun {
    glyphs: Glyph[]
    positions: GlyphPosition[]
    advanceWidth: number
  }
  export interface Font {
    unitsPerEm: number
    hasGlyphForCodePoint(codePoint: number): boolean
    layout(text: string, features?: string[] | Record<string, boolean>): GlyphRun
  }
  export function openSync(path: string): Font
}
