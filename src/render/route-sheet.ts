import { parseMarkup } from "../dossier/markup.js";
import type { RouteSheetView } from "../dossier/route-view.js";
import type { DossierTexts } from "../dossier/texts.js";
import type { Finding } from "../plan/types.js";
import { needsUnicodeFont } from "./fonts.js";
import { announcedTexts, type FontStyle, layoutBlocks, type TextFonts } from "./layout.js";
import { writePdfFile } from "./pdf-file.js";
import { PDFDocument } from "./pdf-lib.js";

/** feuille-de-route.pdf: the plan as a document a person follows. Wording from the templates, layout here. */

export interface DocumentMetadata {
  title: string;
  subject: string;
  toolVersion: string;
  rulesVersion: string;
  answersHash: string;
  date: Date;
}

export interface RouteSheetDeps {
  texts: DossierTexts;
  /**
   * Fonts for this document, given every text it draws: the standard font where WinAnsi covers the text, an
   * embedded subset otherwise, and a finding for any character no font can draw.
   */
  fonts(
    doc: PDFDocument,
    texts: { text: string; style: FontStyle }[],
  ): Promise<TextFonts & { findings: Finding[] }>;
  /** Records the traceability metadata, the same way as the filled forms. */
  metadata(doc: PDFDocument, metadata: DocumentMetadata): void;
}

/** The route sheet's text in markup, before layout (also what tests read). */
export function routeSheetMarkup(view: RouteSheetView, texts: DossierTexts): string {
  return texts.routeSheet(view);
}

export async function buildRouteSheet(
  view: RouteSheetView,
  deps: RouteSheetDeps,
  metadata: DocumentMetadata,
): Promise<{ bytes: Uint8Array; pages: number; findings: Finding[] }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const markup = routeSheetMarkup(view, deps.texts);
  const footer = (page: number, pages: number) =>
    deps.texts.routeSheetFooter({ establishment: view.establishment.name, page, pages }).trim();
  const blocks = parseMarkup(markup);
  // The widest footer (page numbers with the most digits) stands for all of them.
  const widestFooter = footer(0, 0);
  // Helvetica draws the whole sheet when WinAnsi covers its whole markup (the usual case): each block's text is
  // then announced for nothing. Otherwise every text is, as the subset and the findings depend on them.
  const announced =
    needsUnicodeFont(markup) || needsUnicodeFont(widestFooter)
      ? announcedTexts(blocks, widestFooter)
      : [{ text: widestFooter, style: "regular" as const }];
  const fonts = await deps.fonts(doc, announced);
  const pages = layoutBlocks(doc, blocks, fonts, footer);
  doc.setLanguage("fr-FR");
  deps.metadata(doc, metadata);
  await doc.flush();
  const bytes = writePdfFile(doc.context);
  return { bytes, pages, findings: fonts.findings };
}
