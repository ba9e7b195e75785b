import { createHash } from "node:crypto";
import { Font as AfmFont, Encodings, FontNames } from "@cantoo/pdf-lib/standard-fonts";
import type { TextMetrics } from "../layout/fit.js";
import { type PDFDocument, type PDFFont, StandardFonts } from "./pdf-lib.js";
import { standardFace } from "./standard-text.js";
import { FONT_STYLES, type FontStyle, unicodeFontkitFont, unicodeLayout } from "./unicode-face.js";
import { embedUnicodeFont } from "./unicode-font.js";

/**
 * The two fonts the tool draws with, measured and asked about: standard Helvetica (WinAnsi, nothing embedded)
 * and DejaVu Sans (templates/fonts, embedded as a subset) for texts WinAnsi does not cover. Which font draws a
 * text, and the findings about characters neither draws, are decided outside (src/layout/text.ts) from the
 * answers these give.
 */

export type { FontStyle } from "./unicode-face.js";
export { FONT_STYLES } from "./unicode-face.js";
/** `standard`: Helvetica; `unicode`: DejaVu Sans. */
export type FontFamily = "standard" | "unicode";

/** The font of a text run: plain data, the same four values everywhere. */
export interface FontUse {
  family: FontFamily;
  style: FontStyle;
}

export const STANDARD_BASE_FONT: Record<FontStyle, FontNames.Helvetica | FontNames.HelveticaBold> = {
  regular: FontNames.Helvetica,
  bold: FontNames.HelveticaBold,
};
export const UNICODE_BASE_FONT: Record<FontStyle, string> = {
  regular: "DejaVuSans",
  bold: "DejaVuSans-Bold",
};

const winAnsi = Encodings.WinAnsi;

/** WinAnsi's code points up to ™ (U+2122, its highest), as a table: asked for every text drawn. */
export const WIN_ANSI_MAX = 0x2122;
let winAnsiTable: Uint8Array | undefined;
function winAnsiCoverage(): Uint8Array {
  if (!winAnsiTable) {
    winAnsiTable = new Uint8Array(WIN_ANSI_MAX + 1);
    for (let cp = 0; cp <= WIN_ANSI_MAX; cp++)
      winAnsiTable[cp] = winAnsi.canEncodeUnicodeCodePoint(cp) ? 1 : 0;
  }
  return winAnsiTable;
}

export function isWinAnsiCodePoint(cp: number): boolean {
  return cp <= WIN_ANSI_MAX && winAnsiCoverage()[cp] === 1;
}

/**
 * What Helvetica surely draws: tab, line breaks, printable ASCII and Latin-1 (all in WinAnsi). A class of
 * simple ranges, which the regular expression engine tests inline: most texts have nothing else, and are
 * scanned at native speed. (One class of all of WinAnsi's ranges was slower: V8 tests a class of that many
 * ranges by calling a helper for each character.)
 */
const BEYOND_LATIN1 = /[^\t\n\r\x20-\x7e\xa0-\xff]/g;

/** True when some visible character of `text` is outside WinAnsi, so Helvetica cannot draw it. */
export function needsUnicodeFont(text: string): boolean {
  const table = winAnsiCoverage();
  BEYOND_LATIN1.lastIndex = 0;
  // Only the characters beyond Latin-1 (’, –, €, a surrogate…) are looked up in the table.
  for (let found = BEYOND_LATIN1.exec(text); found; found = BEYOND_LATIN1.exec(text)) {
    const cp = text.charCodeAt(found.index);
    if (cp > WIN_ANSI_MAX || table[cp] !== 1) return true;
  }
  return false;
}

/** The characters of `text` that DejaVu Sans cannot draw (each once, in order). */
export function missingGlyphs(text: string, style: FontStyle = "regular"): string[] {
  const font = unicodeFontkitFont(style);
  const missing: string[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp === 0x0a || cp === 0x20) continue;
    if (!isWinAnsiCodePoint(cp) && !font.hasGlyphForCodePoint(cp) && !missing.includes(char)) {
      missing.push(char);
    }
  }
  return missing;
}

/** Subset tag (six capitals) derived from the subset's text, so the same text gives the same bytes. */
export function subsetTag(texts: Iterable<string>): string {
  const hash = createHash("sha256");
  for (const text of texts) hash.update(text).update("\0");
  const digest = hash.digest();
  let tag = "";
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + ((digest[i] ?? 0) % 26));
  return tag;
}

/** Width and vertical metrics in text space units per 1 pt of font size. */
export interface FontMetrics extends TextMetrics {
  /**
   * Width at `size` as pdf-lib measures it: Helvetica with its AFM kerning pairs, DejaVu Sans after shaping
   * (ligatures, composed characters). The route sheet is laid out with it, the forms with `widthOfText`: each
   * keeps the line breaks it always had.
   */
  kernedWidth(text: string, size: number): number;
}

function standardMetrics(style: FontStyle): FontMetrics {
  const afm = AfmFont.load(STANDARD_BASE_FONT[style]);
  // Width of each code point WinAnsi encodes (0 for the others), by code point.
  const widths = new Float64Array(WIN_ANSI_MAX + 1);
  for (let cp = 0; cp <= WIN_ANSI_MAX; cp++) {
    if (!isWinAnsiCodePoint(cp)) continue;
    widths[cp] = afm.getWidthOfGlyph(winAnsi.encodeUnicodeCodePoint(cp).name) ?? 0;
  }
  const unitsOfText = (text: string): number => {
    let total = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.charCodeAt(i);
      if (cp <= WIN_ANSI_MAX) total += widths[cp] ?? 0;
    }
    return total;
  };
  const kerned = standardFace(STANDARD_BASE_FONT[style]);
  return {
    ascent: (afm.Ascender ?? 718) / 1000,
    descent: (afm.Descender ?? -207) / 1000,
    unitsOfText,
    widthOfText: (text, size) => (unitsOfText(text) * size) / 1000,
    kernedWidth: (text, size) => kerned.width(text, size),
  };
}

function unicodeMetrics(style: FontStyle): FontMetrics {
  const font = unicodeFontkitFont(style);
  const scale = 1000 / font.unitsPerEm;
  // Widths of the Basic Multilingual Plane by code point (-1: not asked yet); the other planes in a map.
  const bmp = new Float64Array(0x10000).fill(-1);
  const astral = new Map<number, number>();
  const widthOf = (cp: number): number => {
    let w = cp <= 0xffff ? (bmp[cp] ?? -1) : (astral.get(cp) ?? -1);
    if (w < 0) {
      w = font.glyphForCodePoint(cp).advanceWidth * scale;
      if (cp <= 0xffff) bmp[cp] = w;
      else astral.set(cp, w);
    }
    return w;
  };
  const unitsOfText = (text: string): number => {
    let total = 0;
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      total += widthOf(cp);
    }
    return total;
  };
  const layout = unicodeLayout(style);
  return {
    ascent: (font.ascent * scale) / 1000,
    descent: (font.descent * scale) / 1000,
    unitsOfText,
    widthOfText: (text, size) => (unitsOfText(text) * size) / 1000,
    kernedWidth(text, size) {
      // pdf-lib's sum for an embedded font (`widthOfTextAtSize`), in its order: the same floating-point result.
      let total = 0;
      for (const glyph of layout(text).glyphs) total += glyph.advanceWidth * scale;
      return total * (size / 1000);
    },
  };
}

const metricsCache: Record<FontFamily, Partial<Record<FontStyle, FontMetrics>>> = {
  standard: {},
  unicode: {},
};

export function fontMetrics(family: FontFamily, style: FontStyle): FontMetrics {
  let metrics = metricsCache[family][style];
  if (!metrics) {
    metrics = family === "standard" ? standardMetrics(style) : unicodeMetrics(style);
    metricsCache[family][style] = metrics;
  }
  return metrics;
}

/** The fonts of a pdf-lib document (the route sheet): Helvetica, and DejaVu Sans subsets where asked. */
export interface DocumentFonts {
  font(use: FontUse): PDFFont;
  /** Which of them a font is. */
  useOf(font: PDFFont): FontUse | undefined;
}

/**
 * Embeds Helvetica (regular, bold) and, for each style given texts, a DejaVu Sans subset named from them (the
 * same texts give the same name). Every text later drawn in DejaVu Sans must be among them.
 */
export async function embedFonts(
  doc: PDFDocument,
  unicodeTexts: Readonly<Record<FontStyle, readonly string[]>>,
): Promise<DocumentFonts> {
  const standard: Record<FontStyle, PDFFont> = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  const unicode: Partial<Record<FontStyle, PDFFont>> = {};
  for (const style of FONT_STYLES) {
    const texts = unicodeTexts[style];
    if (texts.length === 0) continue;
    // The forms' embedding (same objects as `doc.embedFont(bytes, { subset: true })`), its costly parts cached.
    unicode[style] = embedUnicodeFont(doc, style, `${subsetTag(texts)}+${UNICODE_BASE_FONT[style]}`);
  }
  const uses = new Map<PDFFont, FontUse>();
  for (const style of FONT_STYLES) {
    uses.set(standard[style], { family: "standard", style });
    const font = unicode[style];
    if (font) uses.set(font, { family: "unicode", style });
  }
  return {
    font({ family, style }) {
      if (family === "standard") return standard[style];
      const font = unicode[style];
      if (!font) throw new Error(`police Unicode (${style}) non annoncée à embedFonts`);
      return font;
    },
    useOf: (font) => uses.get(font),
  };
}
