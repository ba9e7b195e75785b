import { wrapLines } from "../layout/fit.js";
import { familyFor } from "../layout/text.js";
import { pdfMessages, renderText } from "../pdf/messages.js";
import { type FontStyle, type FontUse, fontMetrics, type TextRun } from "../render/index.js";

/** The annex pages that give in full the texts too long for their field, laid out as text runs. */

export interface AnnexEntry {
  label: string;
  /** Page of the template where the field is (1-based). */
  fieldPage: number;
  text: string;
}

export interface AnnexLayout {
  pages: TextRun[][];
  /** For each entry, the page number (1-based, in the whole file) where its text starts. */
  entryPages: number[];
}

const MARGIN = 50;
const TITLE = 13;
const BODY = 10;
const HEADING = 9.5;
const SMALL = 8;
const FOOTER = 7.5;
const LINE = 1.3;

/** Lays out the annex after the template's `templatePages` pages, on pages of the given size. */
export function layoutAnnex(
  entries: readonly AnnexEntry[],
  page: { width: number; height: number },
  templatePages: number,
  formName: string,
): AnnexLayout {
  const texts = pdfMessages().annex;
  const width = page.width - 2 * MARGIN;
  const pages: TextRun[][] = [];
  let runs: TextRun[] = [];
  let y = 0;
  const newPage = () => {
    runs = [];
    pages.push(runs);
    y = page.height - MARGIN;
  };
  const paragraph = (text: string, size: number, style: FontStyle, keepWith = 0) => {
    const font: FontUse = { family: familyFor(text), style };
    const lines = wrapLines(text, fontMetrics(font.family, style), size, width);
    lines.forEach((line, i) => {
      const need = (i === 0 ? keepWith : 0) + size * LINE;
      if (y - need < MARGIN + 20) newPage();
      y -= size * LINE;
      runs.push({ font, size, x: MARGIN, y, text: line });
    });
  };
  newPage();
  paragraph(texts.title, TITLE, "bold");
  y -= 4;
  paragraph(texts.intro, SMALL, "regular");
  const entryPages: number[] = [];
  for (const entry of entries) {
    y -= 10;
    if (y - HEADING * LINE - BODY * LINE * 2 < MARGIN + 20) newPage();
    entryPages.push(templatePages + pages.length);
    paragraph(renderText(texts.entry, { label: entry.label, page: entry.fieldPage }), HEADING, "bold");
    y -= 2;
    paragraph(entry.text, BODY, "regular");
  }
  const total = templatePages + pages.length;
  pages.forEach((pageRuns, i) => {
    const text = renderText(texts.footer, { form: formName, page: templatePages + i + 1, pages: total });
    pageRuns.push({
      font: { family: familyFor(text), style: "regular" },
      size: FOOTER,
      x: MARGIN,
      y: MARGIN - 10,
      text,
    });
  });
  return { pages, entryPages };
}
