import { type PDFDocument, type PDFFont, StandardFonts } from "@cantoo/pdf-lib";
import fontkit from "@pdf-lib/fontkit";
import {
  FONT_STYLES,
  type FontStyle,
  glyphFindings,
  needsUnicodeFont,
  subsetTag,
  UNICODE_BASE_FONT,
  unicodeFontBytes,
} from "../pdf/fonts.js";
import type { Finding } from "../plan/types.js";
import type { TextFonts } from "./layout.js";

/**
 * Fonts of the route sheet, with the helpers of src/pdf/fonts.ts: Helvetica where WinAnsi covers a text, a
 * DejaVu Sans subset otherwise, a finding for any character neither draws.
 *
 * The DejaVu face is parsed afresh for each document that needs it (about 80 ms, only for names such as
 * Nguyễn or Łukasz), not shared: fontkit caches glyph objects per face, and a subset written for an earlier
 * document caches component glyphs (the « e » of « ễ ») without their characters, which then reach this
 * document's ToUnicode map empty: the text would no longer be searchable nor identical from run to run.
 */

type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];
type PdfLibFont = Exclude<Awaited<ReturnType<Fontkit["create"]>>, null | { fonts: unknown }>;

/** @pdf-lib/fontkit's subset has an `encode(stream)` that @cantoo/pdf-lib would call without a stream. */
const freshFontkit: Fontkit = {
  create(buffer: Uint8Array, postscriptName?: string) {
    const font = fontkit.create(buffer, postscriptName);
    return new Proxy(font, {
      get(target, prop) {
        if (prop !== "createSubset") return Reflect.get(target, prop, target);
        return () => {
          const subset = target.createSubset();
          return {
            includeGlyph: (glyph: number | fontkit.Glyph) => subset.includeGlyph(glyph),
            encodeStream: () => subset.encodeStream(),
          };
        };
      },
    }) as unknown as PdfLibFont;
  },
};

export async function routeSheetFonts(
  doc: PDFDocument,
  texts: readonly { text: string; style: FontStyle }[],
  where: string,
): Promise<TextFonts & { findings: Finding[] }> {
  const standard: Record<FontStyle, PDFFont> = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  const needing: Record<FontStyle, string[]> = { regular: [], bold: [] };
  const findings = new Map<string, Finding>();
  for (const { text, style } of texts) {
    if (!needsUnicodeFont(text)) continue;
    needing[style].push(text);
    for (const f of glyphFindings(text, where, style)) findings.set(f.message, f);
  }
  const unicode: Partial<Record<FontStyle, PDFFont>> = {};
  for (const style of FONT_STYLES) {
    if (needing[style].length === 0) continue;
    doc.registerFontkit(freshFontkit);
    unicode[style] = await doc.embedFont(unicodeFontBytes(style), {
      subset: true,
      customName: `${subsetTag(needing[style])}+${UNICODE_BASE_FONT[style]}`,
    });
  }
  return {
    findings: [...findings.values()],
    font(text, style) {
      if (!needsUnicodeFont(text)) return standard[style];
      const font = unicode[style] ?? unicode[style === "bold" ? "regular" : "bold"];
      if (!font)
        throw new Error(`texte non annoncé aux polices de la feuille de route : ${text.slice(0, 40)}`);
      return font;
    },
  };
}
