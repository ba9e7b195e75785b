import { Encodings } from "@cantoo/pdf-lib/standard-fonts";
import {
  FONT_STYLES,
  type FontFamily,
  type FontStyle,
  type FontUse,
  isWinAnsiCodePoint,
  STANDARD_BASE_FONT,
  subsetTag,
  UNICODE_BASE_FONT,
  WIN_ANSI_MAX,
} from "./fonts.js";
import { FONT } from "./names.js";
import { type PDFContext, PDFDict, PDFName, type PDFRef } from "./pdf-lib.js";
import type { PdfUpdate } from "./pdf-update.js";
import { UnicodeFontSubset } from "./unicode-font.js";

/**
 * The fonts of one fill, written into its incremental update: Helvetica dictionaries (nothing embedded) and,
 * when a text needs it, a DejaVu Sans subset per style. Texts are announced during layout (`note`), the
 * subsets are named from them (`prepare`), then texts are encoded and the fonts written (`embed`).
 */

const RESOURCE_NAME: Record<FontFamily, Record<FontStyle, string>> = {
  standard: { regular: "DDHelv", bold: "DDHelvB" },
  unicode: { regular: "DDSans", bold: "DDSansB" },
};

/** WinAnsi code of each code point up to U+2122 (-1 when WinAnsi lacks it). */
let winAnsiCodes: Int16Array | undefined;
function winAnsiCodeTable(): Int16Array {
  if (!winAnsiCodes) {
    winAnsiCodes = new Int16Array(WIN_ANSI_MAX + 1).fill(-1);
    for (let cp = 0; cp <= WIN_ANSI_MAX; cp++) {
      if (isWinAnsiCodePoint(cp)) winAnsiCodes[cp] = Encodings.WinAnsi.encodeUnicodeCodePoint(cp).code;
    }
  }
  return winAnsiCodes;
}

/** The WinAnsi bytes of a text being encoded (reused; grown to the longest text). */
let winAnsiBytes = Buffer.alloc(256);

export class FillFonts {
  private readonly refs = new Map<string, PDFRef>();
  private readonly unicodeTexts: Record<FontStyle, string[]> = { regular: [], bold: [] };
  private readonly embedders = new Map<FontStyle, UnicodeFontSubset>();
  /** /Resources dictionaries by font list: direct objects, written inline wherever used, never changed. */
  private readonly resourceDicts = new Map<string, PDFDict>();
  private prepared = false;

  constructor(private readonly update: PdfUpdate) {}

  get context(): PDFContext {
    return this.update.context;
  }

  /** The resource name of a font, its object number reserved on first use. */
  use(font: FontUse): { name: string; ref: PDFRef } {
    const name = RESOURCE_NAME[font.family][font.style];
    let ref = this.refs.get(name);
    if (!ref) {
      ref = this.update.reserve();
      this.refs.set(name, ref);
    }
    return { name, ref };
  }

  /** Announces a text drawn with a font, before `prepare`. */
  note(font: FontUse, text: string): void {
    if (this.prepared) throw new Error("texte annoncé après la préparation des polices");
    this.use(font);
    if (font.family === "unicode") this.unicodeTexts[font.style].push(text);
  }

  prepare(): void {
    this.prepared = true;
    for (const style of FONT_STYLES) {
      const texts = this.unicodeTexts[style];
      if (texts.length === 0) continue;
      this.embedders.set(
        style,
        new UnicodeFontSubset(style, `${subsetTag(texts)}+${UNICODE_BASE_FONT[style]}`),
      );
    }
  }

  /** The text as a PDF string operand (`<…>`) for the font. */
  encode(font: FontUse, text: string): string {
    if (font.family === "standard") {
      const table = winAnsiCodeTable();
      if (winAnsiBytes.length < text.length) winAnsiBytes = Buffer.alloc(2 * text.length);
      for (let i = 0; i < text.length; i++) {
        const cp = text.charCodeAt(i);
        const code = cp <= WIN_ANSI_MAX ? (table[cp] ?? -1) : -1;
        if (code < 0) {
          const point = text.codePointAt(i) ?? cp;
          throw new Error(`caractère hors WinAnsi pour Helvetica : U+${point.toString(16)}`);
        }
        winAnsiBytes[i] = code;
      }
      return `<${winAnsiBytes.toString("hex", 0, text.length)}>`;
    }
    const embedder = this.embedders.get(font.style);
    if (!embedder) throw new Error("police Unicode utilisée sans avoir été annoncée");
    return embedder.encode(text);
  }

  /** A /Resources dictionary holding the given fonts. */
  resources(fonts: readonly FontUse[]): PDFDict {
    const uses = fonts.map((font) => this.use(font));
    const key = uses.map((u) => u.name).join(" ");
    let dict = this.resourceDicts.get(key);
    if (!dict) {
      const context = this.update.context;
      const fontDict = PDFDict.withContext(context);
      for (const { name, ref } of uses) fontDict.set(PDFName.of(name), ref);
      dict = PDFDict.withContext(context);
      dict.set(FONT, fontDict);
      this.resourceDicts.set(key, dict);
    }
    return dict;
  }

  /** Every font used, by resource name (for the AcroForm's /DR). */
  used(): ReadonlyMap<string, PDFRef> {
    return this.refs;
  }

  embed(): void {
    const context = this.update.context;
    for (const style of FONT_STYLES) {
      const standardRef = this.refs.get(RESOURCE_NAME.standard[style]);
      if (standardRef) {
        this.update.replace(
          standardRef,
          context.obj({
            Type: "Font",
            Subtype: "Type1",
            BaseFont: STANDARD_BASE_FONT[style],
            Encoding: "WinAnsiEncoding",
          }),
        );
      }
      const unicodeRef = this.refs.get(RESOURCE_NAME.unicode[style]);
      const embedder = this.embedders.get(style);
      if (unicodeRef && embedder) embedder.embed(this.update, unicodeRef);
    }
  }
}
