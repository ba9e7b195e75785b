import { type DocumentFonts, embedFonts, type FontStyle, type FontUse } from "./fonts.js";
import { type DocumentMetadata, setDocumentMetadata } from "./metadata.js";
import { PageContent, type Rgb } from "./page-content.js";
import { appendPage, writePdfFile } from "./pdf-file.js";
import { PDFDocument, type PDFFont } from "./pdf-lib.js";

/**
 * A text document (the route sheet) written from its laid-out pages: plain data, every mark placed by the
 * layout (src/layout/text-document.ts). Nothing is measured or decided here: the marks are written as given.
 */

/** Something drawn on a page, in points from the page's bottom left corner (a group's: from its origin). */
export type PageMark =
  /** A text on one baseline, starting at (x, y). */
  | { kind: "text"; text: string; x: number; y: number; size: number; font: FontUse; color: Rgb }
  | { kind: "line"; x1: number; y1: number; x2: number; y2: number; thickness: number; color: Rgb }
  /** A filled rectangle. */
  | { kind: "box"; x: number; y: number; width: number; height: number; color: Rgb }
  /** Marks laid out from y = 0 (a block), moved up by `dy`, in their own graphics state. */
  | { kind: "group"; dy: number; marks: readonly PageMark[] };

export interface LaidOutPage {
  width: number;
  height: number;
  marks: readonly PageMark[];
}

/**
 * The operators of groups written before, with the fonts they draw with, keyed by the layout's own marks: a
 * block the layout replays (src/layout/text-document.ts: BlockMemo) is the same array in every document, and
 * is written once. Only groups in Helvetica, whose resource names (F1, F2) are the same in every document.
 */
const writtenGroups = new WeakMap<readonly PageMark[], { ops: string; fonts: readonly FontUse[] }>();

/** The texts drawn in DejaVu Sans, by style, in the order they are drawn: the subsets are named from them. */
function unicodeTexts(pages: readonly LaidOutPage[]): Record<FontStyle, string[]> {
  const texts: Record<FontStyle, string[]> = { regular: [], bold: [] };
  const visit = (marks: readonly PageMark[]) => {
    for (const mark of marks) {
      // A group written before is in Helvetica.
      if (mark.kind === "group") {
        if (!writtenGroups.has(mark.marks)) visit(mark.marks);
      } else if (mark.kind === "text" && mark.font.family === "unicode")
        texts[mark.font.style].push(mark.text);
    }
  };
  for (const page of pages) visit(page.marks);
  return texts;
}

class MarkWriter {
  /** The document's font resource names, shared by its pages. */
  private readonly fontKeys = new Map<PDFFont, string>();

  constructor(private readonly fonts: DocumentFonts) {}

  page(marks: readonly PageMark[]): PageContent {
    const content = new PageContent(this.fontKeys);
    this.draw(content, marks);
    return content;
  }

  private group(marks: readonly PageMark[]): { ops: string; fonts: readonly FontUse[] } {
    let group = writtenGroups.get(marks);
    if (!group) {
      const content = this.page(marks);
      const used: FontUse[] = [];
      for (const font of content.usedFonts) {
        const use = this.fonts.useOf(font);
        if (use) used.push(use);
      }
      // Named in the page's resources regular faces first, as they always were.
      const fonts = [
        ...used.filter((f) => f.style === "regular"),
        ...used.filter((f) => f.style !== "regular"),
      ];
      group = { ops: content.take(), fonts };
      if (fonts.every((f) => f.family === "standard")) writtenGroups.set(marks, group);
    }
    return group;
  }

  private draw(content: PageContent, marks: readonly PageMark[]): void {
    for (const mark of marks) {
      switch (mark.kind) {
        case "text":
          content.text(mark.text, mark.x, mark.y, mark.size, this.fonts.font(mark.font), mark.color);
          break;
        case "line":
          content.line(mark.x1, mark.y1, mark.x2, mark.y2, mark.thickness, mark.color);
          break;
        case "box":
          content.rectangle(mark.x, mark.y, mark.width, mark.height, mark.color);
          break;
        case "group": {
          const group = this.group(mark.marks);
          for (const font of group.fonts) content.useFont(this.fonts.font(font));
          content.raw(group.ops, mark.dy);
          break;
        }
      }
    }
  }
}

/**
 * Writes a text document from its laid-out pages: Helvetica for the standard marks, a DejaVu Sans subset per
 * style for the others, the document's language and metadata.
 */
export async function writeTextDocument(
  pages: readonly LaidOutPage[],
  metadata: DocumentMetadata,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = await embedFonts(doc, unicodeTexts(pages));
  const dicts = pages.map((page) => appendPage(doc, [page.width, page.height]));
  const writer = new MarkWriter(fonts);
  pages.forEach((page, i) => {
    const dict = dicts[i];
    if (dict) writer.page(page.marks).writeTo(doc, dict);
  });
  doc.setLanguage("fr-FR");
  setDocumentMetadata(doc, metadata);
  await doc.flush();
  return writePdfFile(doc.context);
}
