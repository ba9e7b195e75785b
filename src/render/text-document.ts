import type { Block } from "../dossier/markup.js";
import type { Finding } from "../plan/types.js";
import { embedFonts, needsUnicodeFont } from "./fonts.js";
import { announcedTexts, layoutBlocks } from "./layout.js";
import { type DocumentMetadata, setDocumentMetadata } from "./metadata.js";
import { writePdfFile } from "./pdf-file.js";
import { PDFDocument } from "./pdf-lib.js";

/** A text document (the route sheet) as plain data: its blocks, its footer, its metadata. */
export interface TextDocument {
  /** The document's blocks (src/dossier/markup.ts: parseMarkup), in order. */
  blocks: readonly Block[];
  /** The footer of page `page` of `pages`; `footer(0, 0)` stands for the widest. */
  footer(page: number, pages: number): string;
  /** Also the markup's whole text: Helvetica draws the whole document when WinAnsi covers it. */
  markup: string;
  metadata: DocumentMetadata;
  /** French, for the findings about characters no font draws, e.g. « la feuille de route ». */
  where: string;
}

/**
 * Writes a text document on A4 pages: fonts (Helvetica where WinAnsi covers a text, a DejaVu Sans subset
 * otherwise, a finding for any character neither draws), wrapping, page breaks, footers, metadata.
 */
export async function writeTextDocument(
  input: TextDocument,
): Promise<{ bytes: Uint8Array; pages: number; findings: Finding[] }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const widestFooter = input.footer(0, 0);
  // Helvetica draws the whole sheet when WinAnsi covers its whole markup (the usual case): each block's text is
  // then announced for nothing. Otherwise every text is, as the subset and the findings depend on them.
  const announced =
    needsUnicodeFont(input.markup) || needsUnicodeFont(widestFooter)
      ? announcedTexts(input.blocks, widestFooter)
      : [{ text: widestFooter, style: "regular" as const }];
  const fonts = await embedFonts(doc, announced, { where: input.where });
  const pages = layoutBlocks(doc, input.blocks, fonts, input.footer);
  doc.setLanguage("fr-FR");
  setDocumentMetadata(doc, input.metadata);
  await doc.flush();
  const bytes = writePdfFile(doc.context);
  return { bytes, pages, findings: fonts.findings };
}
