import type { PDFFont } from "@cantoo/pdf-lib";
import { Font as AfmFont, Encodings, FontNames } from "@cantoo/pdf-lib/standard-fonts";

/**
 * Helvetica and Helvetica-Bold measured and encoded from tables built once per process: the same widths
 * (glyph widths and kerning pairs of the AFM metrics) and the same WinAnsi codes as pdf-lib's
 * StandardFontEmbedder, without its per-call glyph objects.
 */

/** Highest code point WinAnsi encodes (™, U+2122). */
const MAX_CP = 0x2122;
const LATIN1 = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0").toUpperCase());

export interface StandardText {
  /** Width of `text` at `size`, as `PDFFont.widthOfTextAtSize`. */
  width(text: string, size: number): number;
  /** The text as a PDF hex string (`<…>`), as `PDFFont.encodeText`. */
  hex(text: string): string;
  /** The same codes as a literal string (`(…)`, one Latin-1 character per code): half the bytes of `hex`. */
  literal(text: string): string;
}

/** WinAnsi code per code point (`-1`: not encodable), shared by both faces. */
let codes: Int16Array | undefined;
let glyphNames: string[] | undefined;
function winAnsiCodes(): { codes: Int16Array; names: string[] } {
  if (!codes || !glyphNames) {
    const table = new Int16Array(MAX_CP + 1).fill(-1);
    const names: string[] = [];
    for (let cp = 0; cp <= MAX_CP; cp++) {
      if (!Encodings.WinAnsi.canEncodeUnicodeCodePoint(cp)) continue;
      const glyph = Encodings.WinAnsi.encodeUnicodeCodePoint(cp);
      table[cp] = glyph.code;
      names[glyph.code] = glyph.name;
    }
    codes = table;
    glyphNames = names;
  }
  return { codes, names: glyphNames };
}

function build(name: FontNames): StandardText {
  const afm = AfmFont.load(name);
  const { codes, names } = winAnsiCodes();
  const question = codes[0x3f] ?? 0x3f;
  const widths = new Float64Array(256);
  for (let code = 0; code < 256; code++) {
    const glyph = names[code];
    widths[code] = (glyph === undefined ? 0 : afm.getWidthOfGlyph(glyph)) || 250;
  }
  // Kerning pairs, filled on first use (NaN: not looked up yet).
  const kerns = new Float64Array(256 * 256).fill(Number.NaN);
  const kern = (left: number, right: number): number => {
    const at = left * 256 + right;
    let k = kerns[at] ?? 0;
    if (Number.isNaN(k)) {
      const l = names[left];
      const r = names[right];
      k = (l !== undefined && r !== undefined ? afm.getXAxisKerningForPair(l, r) : 0) || 0;
      kerns[at] = k;
    }
    return k;
  };
  // Non-WinAnsi characters become « ? », as pdf-lib does (the layout gives them the Unicode font instead).
  const codeAt = (cp: number): number => (cp <= MAX_CP ? (codes[cp] ?? -1) : -1);
  const encode = (text: string): number[] => {
    const out: number[] = [];
    for (const char of text) {
      const code = codeAt(char.codePointAt(0) ?? 0);
      out.push(code < 0 ? question : code);
    }
    return out;
  };
  return {
    width(text, size) {
      let total = 0;
      let left = -1;
      for (let i = 0; i < text.length; i++) {
        let cp = text.charCodeAt(i);
        // A surrogate pair is one character (and not WinAnsi).
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
          cp = text.codePointAt(i) ?? cp;
          i++;
        }
        const code = codeAt(cp);
        const right = code < 0 ? question : code;
        if (left >= 0) total += (widths[left] ?? 0) + kern(left, right);
        left = right;
      }
      if (left >= 0) total += widths[left] ?? 0;
      return total * (size / 1000);
    },
    literal(text) {
      let out = "(";
      for (const code of encode(text)) {
        if (code === 0x28 || code === 0x29 || code === 0x5c) out += "\\";
        out += LATIN1[code];
      }
      return `${out})`;
    },
    hex(text) {
      let out = "<";
      for (const code of encode(text)) out += HEX[code];
      return `${out}>`;
    },
  };
}

const faces = new Map<string, StandardText>();

/** The tables of Helvetica or Helvetica-Bold. */
export function standardFace(name: FontNames.Helvetica | FontNames.HelveticaBold): StandardText {
  let face = faces.get(name);
  if (!face) {
    face = build(name);
    faces.set(name, face);
  }
  return face;
}

/** The tables of a standard Helvetica face, or undefined for another font (an embedded subset). */
export function standardText(font: PDFFont): StandardText | undefined {
  const name = font.name;
  if (name !== FontNames.Helvetica && name !== FontNames.HelveticaBold) return undefined;
  return standardFace(name);
}
