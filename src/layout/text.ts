import { describeChar, findingText } from "../pdf/messages.js";
import type { Finding } from "../plan/types.js";
import { type FontFamily, type FontStyle, missingGlyphs, needsUnicodeFont } from "../render/index.js";

/**
 * Text that always renders: the font that draws a text, chosen from what the fence says it covers (standard
 * Helvetica when WinAnsi covers the whole text, DejaVu Sans otherwise), and a finding for a character no
 * shipped font draws: never a silent `?` nor a blank glyph.
 */

export function familyFor(text: string): FontFamily {
  return needsUnicodeFont(text) ? "unicode" : "standard";
}

/** The finding for characters no shipped font draws, or none. `where` is French, e.g. « le champ « Nom » ». */
export function glyphFindings(text: string, where: string, style: FontStyle = "regular"): Finding[] {
  if (!needsUnicodeFont(text)) return [];
  const missing = missingGlyphs(text, style);
  if (missing.length === 0) return [];
  return [
    {
      code: "PDF_GLYPH_MISSING",
      severity: "warning",
      message: findingText("PDF_GLYPH_MISSING", { chars: missing.map(describeChar).join(", "), where }),
    },
  ];
}

// Invisible characters: controls, zero-width and bidi formatting marks, soft hyphen, BOM.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** A character `cleanText` may change: outside printable ASCII and Latin-1, or the soft hyphen. */
const NOT_PLAIN = /[^\x20-\x7e\xa0-\xac\xae-\xff]/;

/**
 * The text as drawn: NFC (é, not e + accent), line ends as `\n` (a space in a one-line field), tabs as
 * spaces, invisible characters removed. Call it before measuring or choosing a font.
 */
export function cleanText(text: string, options: { multiline: boolean } = { multiline: true }): string {
  // Printable ASCII and Latin-1 (soft hyphen aside) are already clean: NFC leaves them as they are.
  if (!NOT_PLAIN.test(text)) return text;
  let out = text
    .normalize("NFC")
    .replace(/\r\n?|[\u2028\u2029]/g, "\n")
    .replace(/\t/g, " ")
    .replace(INVISIBLE, "");
  if (!options.multiline) out = out.replace(/\n+/g, " ");
  return out;
}
