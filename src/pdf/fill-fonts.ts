import { CustomFontSubsetEmbedder, type PDFContext, PDFDict, PDFName, type PDFRef } from "@cantoo/pdf-lib";
import { Encodings } from "@cantoo/pdf-lib/standard-fonts";
import {
  cachingFontkit,
  FONT_STYLES,
  type FontFamily,
  type FontStyle,
  isWinAnsiCodePoint,
  STANDARD_BASE_FONT,
  subsetTag,
  UNICODE_BASE_FONT,
  unicodeFontBytes,
} from "./fonts.js";
import type { PdfUpdate } from "./pdf-update.js";

/**
 * The fonts of one fill, written into its incremental update: Helvetica dictionaries (nothing embedded) and,
 * when a text needs it, a DejaVu Sans subset per style. Texts are announced during layout (`note`), the
 * subsets are named from them (`prepare`), then texts are encoded and the fonts written (`embed`).
 */

export interface FontUse {
  family: FontFamily;
  style: FontStyle;
}

const RESOURCE_NAME: Record<FontFamily, Record<FontStyle, string>> = {
  standard: { regular: "DDHelv", bold: "DDHelvB" },
  unicode: { regular: "DDSans", bold: "DDSansB" },
};

export class FillFonts {
  private readonly refs = new Map<string, PDFRef>();
  private readonly unicodeTexts: Record<FontStyle, string[]> = { regular: [], bold: [] };
  private readonly embedders = new Map<FontStyle, CustomFontSubsetEmbedder>();
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

  async prepare(): Promise<void> {
    this.prepared = true;
    for (const style of FONT_STYLES) {
      const texts = this.unicodeTexts[style];
      if (texts.length === 0) continue;
      this.embedders.set(
        style,
        await CustomFontSubsetEmbedder.for(
          cachingFontkit,
          unicodeFontBytes(style),
          `${subsetTag(texts)}+${UNICODE_BASE_FONT[style]}`,
        ),
      );
    }
  }

  /** The text as a PDF string operand (`<…>`) for the font. */
  encode(font: FontUse, text: string): string {
    if (font.family === "standard") {
      let hex = "";
      for (const char of text) {
        const cp = char.codePointAt(0) ?? 0;
        if (!isWinAnsiCodePoint(cp))
          throw new Error(`caractère hors WinAnsi pour Helvetica : U+${cp.toString(16)}`);
        hex += Encodings.WinAnsi.encodeUnicodeCodePoint(cp).code.toString(16).padStart(2, "0");
      }
      return `<${hex}>`;
    }
    const embedder = this.embedders.get(font.style);
    if (!embedder) throw new Error("police Unicode utilisée sans avoir été annoncée");
    return embedder.encodeText(text).toString();
  }

  /** A /Resources dictionary holding the given fonts. */
  resources(fonts: readonly FontUse[]): PDFDict {
    const context = this.update.context;
    const fontDict = PDFDict.withContext(context);
    for (const font of fonts) {
      const { name, ref } = this.use(font);
      fontDict.set(PDFName.of(name), ref);
    }
    const dict = PDFDict.withContext(context);
    dict.set(PDFName.of("Font"), fontDict);
    return dict;
  }

  /** Every font used, by resource name (for the AcroForm's /DR). */
  used(): ReadonlyMap<string, PDFRef> {
    return this.refs;
  }

  async embed(): Promise<void> {
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
      if (unicodeRef && embedder) await embedder.embedIntoContext(context, unicodeRef);
    }
  }
}
