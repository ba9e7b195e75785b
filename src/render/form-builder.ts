import { wrapLines } from "../layout/fit.js";
import { renderText } from "../pdf/messages.js";
import { type FontStyle, fontMetrics } from "./fonts.js";
import { checkLayout, type FormLayout, GRID_COLUMNS, type LayoutCell } from "./form-layout.js";
import {
  type PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  type PDFPage,
  PDFString,
  PDFDocument as PdfDocument,
  rgb,
  StandardFonts,
} from "./pdf-lib.js";

/** Builds an AcroForm template from its layout: deterministic, so a rebuild gives the same bytes. */

const A4: [number, number] = [595.28, 841.89];
const MARGIN = { left: 42, right: 42, top: 40, bottom: 58 };
const WIDTH = A4[0] - MARGIN.left - MARGIN.right;
const GUTTER = 8;
const COLUMN = (WIDTH - (GRID_COLUMNS - 1) * GUTTER) / GRID_COLUMNS;
const INK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.55, 0.55, 0.55);
const BAND = rgb(0.88, 0.9, 0.93);
const LABEL_SIZE = 7.5;
const TEXT_SIZE = 8.5;
const FIELD_SIZE = 10;
const MULTILINE_SIZE = 9;
const ROW_GAP = 7;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

function lines(text: string, style: FontStyle, size: number, width: number): string[] {
  return wrapLines(text, fontMetrics("standard", style), size, width);
}

function textFieldHeight(cell: { lines?: number }): number {
  const count = cell.lines ?? 1;
  return count === 1 ? 18 : count * MULTILINE_SIZE * 1.15 + 6;
}

function cellHeight(cell: LayoutCell, width: number): number {
  switch (cell.kind) {
    case "text":
      return LABEL_SIZE + 3 + textFieldHeight(cell);
    case "checkbox":
      return Math.max(11, lines(cell.label, "regular", TEXT_SIZE, width - 16).length * TEXT_SIZE * 1.25);
    case "signature":
    case "box":
      return LABEL_SIZE + 3 + cell.height;
    case "paragraph": {
      const size = cell.style === "small" ? LABEL_SIZE : TEXT_SIZE;
      return lines(cell.text, cell.style === "bold" ? "bold" : "regular", size, width).length * size * 1.3;
    }
    case "list":
      return cell.items.reduce(
        (h, item) => h + lines(item, "regular", TEXT_SIZE, width - 10).length * TEXT_SIZE * 1.3,
        0,
      );
  }
}

class Builder {
  private page!: PDFPage;
  /** Distance of the cursor from the page top. */
  private y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
    private readonly layout: FormLayout,
  ) {}

  private text(text: string, x: number, top: number, size: number, style: FontStyle, color = INK): void {
    this.page.drawText(text, { x, y: A4[1] - top - size * 0.8, size, font: this.fonts[style], color });
  }

  private rect(x: number, top: number, width: number, height: number, fill?: typeof BAND): void {
    this.page.drawRectangle({
      x,
      y: A4[1] - top - height,
      width,
      height,
      borderColor: fill ? undefined : RULE,
      borderWidth: fill ? 0 : 0.6,
      color: fill,
    });
  }

  private newPage(first: boolean): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = MARGIN.top;
    const h = this.layout.header;
    if (!first) {
      this.text(h.continuation, MARGIN.left, this.y, 8, "bold", GREY);
      this.y += 16;
      return;
    }
    h.organization.forEach((line, i) => {
      this.text(line, MARGIN.left, this.y + i * 11, i === 0 ? 9 : 8, i === 0 ? "bold" : "regular", GREY);
    });
    const boxWidth = 96;
    const boxX = MARGIN.left + WIDTH - boxWidth;
    this.rect(boxX, this.y - 4, boxWidth, 38);
    this.text(h.formLabel, boxX + 8, this.y, 7.5, "regular", GREY);
    this.text(h.formNumber, boxX + 8, this.y + 12, 16, "bold");
    this.y += 48;
    for (const line of lines(h.title, "bold", 15, WIDTH)) {
      this.text(line, MARGIN.left, this.y, 15, "bold");
      this.y += 19;
    }
    if (h.subtitle) {
      for (const line of lines(h.subtitle, "regular", 9.5, WIDTH)) {
        this.text(line, MARGIN.left, this.y, 9.5, "regular");
        this.y += 12.5;
      }
    }
    this.y += 4;
    this.page.drawLine({
      start: { x: MARGIN.left, y: A4[1] - this.y },
      end: { x: MARGIN.left + WIDTH, y: A4[1] - this.y },
      thickness: 1.2,
      color: INK,
    });
    this.y += 8;
    for (const paragraph of this.layout.intro) {
      for (const line of lines(paragraph, "regular", TEXT_SIZE, WIDTH)) {
        this.text(line, MARGIN.left, this.y, TEXT_SIZE, "regular");
        this.y += TEXT_SIZE * 1.3;
      }
      this.y += 4;
    }
  }

  private ensure(height: number): void {
    if (this.y + height > A4[1] - MARGIN.bottom) this.newPage(false);
  }

  build(): void {
    this.newPage(true);
    this.layout.sections.forEach((section, index) => {
      const firstRow = section.rows[0] ?? [];
      const noteHeight = section.note
        ? lines(section.note, "regular", LABEL_SIZE, WIDTH).length * LABEL_SIZE * 1.3 + 3
        : 0;
      this.ensure(26 + noteHeight + this.rowHeight(firstRow));
      this.y += 6;
      this.rect(MARGIN.left, this.y, WIDTH, 16, BAND);
      this.text(`${index + 1}. ${section.title}`, MARGIN.left + 6, this.y + 4, 10, "bold");
      this.y += 22;
      if (section.note) {
        for (const line of lines(section.note, "regular", LABEL_SIZE, WIDTH)) {
          this.text(line, MARGIN.left, this.y, LABEL_SIZE, "regular", GREY);
          this.y += LABEL_SIZE * 1.3;
        }
        this.y += 3;
      }
      for (const row of section.rows) {
        const height = this.rowHeight(row);
        this.ensure(height);
        // Next to labelled boxes, a checkbox lines up with the boxes, not with their labels.
        const checkboxTop = row.some((c) => c.kind === "text") ? LABEL_SIZE + 7 : 0;
        let column = 0;
        for (const cell of row) {
          const x = MARGIN.left + column * (COLUMN + GUTTER);
          const top = this.y + (cell.kind === "checkbox" ? checkboxTop : 0);
          this.cell(cell, x, top, cell.span * COLUMN + (cell.span - 1) * GUTTER);
          column += cell.span;
        }
        this.y += height + ROW_GAP;
      }
    });
  }

  private rowHeight(row: LayoutCell[]): number {
    return Math.max(0, ...row.map((c) => cellHeight(c, c.span * COLUMN + (c.span - 1) * GUTTER)));
  }

  private label(text: string, x: number, top: number, hint?: string, width = 0): void {
    this.text(text, x, top, LABEL_SIZE, "bold", GREY);
    if (hint) {
      const w = fontMetrics("standard", "regular").widthOfText(hint, LABEL_SIZE - 0.5);
      this.text(hint, x + width - w, top + 0.5, LABEL_SIZE - 0.5, "regular", GREY);
    }
  }

  private cell(cell: LayoutCell, x: number, top: number, width: number): void {
    const form = this.doc.getForm();
    switch (cell.kind) {
      case "text": {
        this.label(cell.label, x, top, cell.hint, width);
        const boxTop = top + LABEL_SIZE + 3;
        const height = textFieldHeight(cell);
        this.rect(x, boxTop, width, height);
        if (cell.comb) {
          for (let i = 1; i < cell.comb; i++) {
            const cx = x + (width * i) / cell.comb;
            this.page.drawLine({
              start: { x: cx, y: A4[1] - boxTop - height },
              end: { x: cx, y: A4[1] - boxTop - height * 0.45 },
              thickness: 0.5,
              color: RULE,
            });
          }
        }
        const field = form.createTextField(cell.name);
        field.addToPage(this.page, {
          x: x + 1,
          y: A4[1] - boxTop - height + 1,
          width: width - 2,
          height: height - 2,
          font: this.fonts.regular,
          backgroundColor: undefined,
          borderColor: undefined,
          borderWidth: 0,
        });
        const size = cell.fontSize ?? (cell.lines && cell.lines > 1 ? MULTILINE_SIZE : FIELD_SIZE);
        field.acroField.setDefaultAppearance(`/Helv ${size} Tf 0 g`);
        if (cell.lines && cell.lines > 1) field.enableMultiline();
        if (cell.comb) {
          field.setMaxLength(cell.comb);
          field.enableCombing();
        }
        field.acroField.dict.set(PDFName.of("TU"), PDFHexString.fromText(cell.label));
        field.defaultUpdateAppearances(this.fonts.regular);
        return;
      }
      case "checkbox": {
        this.rect(x, top, 10, 10);
        const field = form.createCheckBox(cell.name);
        field.addToPage(this.page, {
          x: x + 0.5,
          y: A4[1] - top - 9.5,
          width: 9,
          height: 9,
          backgroundColor: undefined,
          borderColor: undefined,
          borderWidth: 0,
        });
        field.acroField.dict.set(PDFName.of("TU"), PDFHexString.fromText(cell.label));
        lines(cell.label, "regular", TEXT_SIZE, width - 16).forEach((line, i) => {
          this.text(line, x + 16, top + 1 + i * TEXT_SIZE * 1.25, TEXT_SIZE, "regular");
        });
        return;
      }
      case "signature": {
        this.label(cell.label, x, top);
        const boxTop = top + LABEL_SIZE + 3;
        this.rect(x, boxTop, width, cell.height);
        const context = this.doc.context;
        const widget = context.obj({
          FT: "Sig",
          T: PDFHexString.fromText(cell.name),
          TU: PDFHexString.fromText(cell.label),
          Type: "Annot",
          Subtype: "Widget",
          F: 4,
          Rect: [x + 1, A4[1] - boxTop - cell.height + 1, x + width - 1, A4[1] - boxTop - 1],
          P: this.page.ref,
        });
        const ref = context.register(widget);
        this.page.node.addAnnot(ref);
        form.acroForm.addField(ref);
        return;
      }
      case "box":
        this.label(cell.label, x, top);
        this.rect(x, top + LABEL_SIZE + 3, width, cell.height);
        return;
      case "paragraph": {
        const size = cell.style === "small" ? LABEL_SIZE : TEXT_SIZE;
        const style: FontStyle = cell.style === "bold" ? "bold" : "regular";
        lines(cell.text, style, size, width).forEach((line, i) => {
          this.text(line, x, top + i * size * 1.3, size, style, cell.style === "small" ? GREY : INK);
        });
        return;
      }
      case "list": {
        let y = top;
        for (const item of cell.items) {
          this.text("\u2022", x + 2, y, TEXT_SIZE, "regular");
          for (const line of lines(item, "regular", TEXT_SIZE, width - 10)) {
            this.text(line, x + 10, y, TEXT_SIZE, "regular");
            y += TEXT_SIZE * 1.3;
          }
        }
        return;
      }
    }
  }

  footers(): void {
    const total = this.pages.length;
    this.pages.forEach((page, i) => {
      this.page = page;
      const top = A4[1] - MARGIN.bottom + 14;
      page.drawLine({
        start: { x: MARGIN.left, y: A4[1] - top + 4 },
        end: { x: MARGIN.left + WIDTH, y: A4[1] - top + 4 },
        thickness: 0.5,
        color: RULE,
      });
      const pageLabel = renderText(this.layout.pageLabel, { page: i + 1, pages: total });
      const labelWidth = fontMetrics("standard", "regular").widthOfText(pageLabel, 7);
      lines(this.layout.footer, "regular", 7, WIDTH - labelWidth - 20).forEach((line, n) => {
        this.text(line, MARGIN.left, top + n * 9, 7, "regular", GREY);
      });
      this.text(pageLabel, MARGIN.left + WIDTH - labelWidth, top, 7, "regular", GREY);
    });
  }
}

/** The template PDF of a layout: same layout, same bytes. */
export async function buildFormTemplate(layout: FormLayout, source = layout.file): Promise<Uint8Array> {
  checkLayout(layout, source);
  const doc = await PdfDocument.create({ updateMetadata: false });
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  const form = doc.getForm();
  const dr = doc.context.obj({ Font: { Helv: fonts.regular.ref } });
  form.acroForm.dict.set(PDFName.of("DR"), dr);
  form.acroForm.dict.set(PDFName.of("DA"), PDFString.of("/Helv 10 Tf 0 g"));
  const builder = new Builder(doc, fonts, layout);
  builder.build();
  builder.footers();
  const date = new Date(layout.modelDate);
  doc.setTitle(layout.document.title, { showInWindowTitleBar: true });
  doc.setSubject(layout.document.subject);
  doc.setKeywords([layout.document.keywords]);
  doc.setAuthor("diapason-dossier");
  doc.setCreator("diapason-dossier (npm run build:forms)");
  doc.setProducer("diapason-dossier");
  doc.setLanguage("fr-FR");
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  return doc.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY });
}
