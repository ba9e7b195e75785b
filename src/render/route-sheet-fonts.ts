import type { PDFDocument } from "@cantoo/pdf-lib";
import type { Finding } from "../plan/types.js";
import { embedFonts, type FontStyle } from "./fonts.js";
import type { TextFonts } from "./layout.js";

/**
 * Fonts of the route sheet: the forms' own `embedFonts` (Helvetica where WinAnsi covers a text, a DejaVu Sans
 * subset otherwise, a finding for any character neither draws). The subset is written as the forms' is
 * (`embedUnicodeFont`): face parsed once per process, compressed program and ToUnicode map kept per glyph set.
 */
export async function routeSheetFonts(
  doc: PDFDocument,
  texts: readonly { text: string; style: FontStyle }[],
  where: string,
): Promise<TextFonts & { findings: Finding[] }> {
  return embedFonts(doc, texts, { where });
}
