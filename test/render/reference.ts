import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type PDFDocument as Document,
  PDFDocument,
  PDFDropdown,
  type PDFFont,
  PDFOptionList,
  type PDFPage,
  type PDFRadioGroup,
  PDFSignature,
  PDFTextField,
  rgb,
  StandardFonts,
} from "@cantoo/pdf-lib";
import fontkit from "@pdf-lib/fontkit";
import type {
  AnnexPage,
  FieldFill,
  FontUse,
  LaidOutPage,
  PageMark,
  TextRun,
} from "../../src/render/index.js";
import { ROOT } from "../helpers/answers.js";

/**
 * Reference implementations of the fence's two PDF writers (`fillForm`, `writeTextDocument`), on the public APIs
 * of pdf-lib and fontkit only: no private field, no hand-written bytes, no speed device. Slow and plain, they are
 * the judges of the fast paths: test/render/reference.test.ts compares what a reader sees of both (qpdf --check,
 * field values, pdftotext).
 *
 * The libraries are imported here as ES modules, not through src/render/pdf-lib.ts: the reference gets its own
 * copy of pdf-lib and fontkit, untouched by the fence (whose DejaVu Sans faces are patched: unicode-face.ts).
 */

const DEJAVU_FILES: Record<FontUse["style"], string> = {
  regular: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
};
const HELVETICA: Record<FontUse["style"], StandardFonts> = {
  regular: StandardFonts.Helvetica,
  bold: StandardFonts.HelveticaBold,
};

/** The document's fonts, embedded on first use: Helvetica (standard) or DejaVu Sans (unicode). */
class Fonts {
  private readonly embedded = new Map<string, Promise<PDFFont>>();

  constructor(private readonly doc: Document) {
    doc.registerFontkit(fontkit);
  }

  get(use: FontUse): Promise<PDFFont> {
    const key = `${use.family}/${use.style}`;
    let font = this.embedded.get(key);
    if (!font) {
      font =
        use.family === "standard"
          ? this.doc.embedFont(HELVETICA[use.style])
          : // The whole font, not a subset: @cantoo/pdf-lib calls `subset.encode()` without a stream, which
            // @pdf-lib/fontkit's subsets need (the fence works around it: src/render/unicode-face.ts, forPdfLib).
            this.doc.embedFont(readFileSync(join(ROOT, "templates", "fonts", DEJAVU_FILES[use.style])));
      this.embedded.set(key, font);
    }
    return font;
  }
}

async function drawRuns(page: PDFPage, fonts: Fonts, runs: readonly TextRun[]): Promise<void> {
  for (const run of runs) {
    if (run.text === "") continue;
    page.drawText(run.text, { x: run.x, y: run.y, size: run.size, font: await fonts.get(run.font) });
  }
}

type TextFill = Extract<FieldFill, { kind: "text" }>;

/**
 * A text field (or a choice: its value is an export value) set through pdf-lib's form API, its appearance made
 * by pdf-lib's own generator in the fill's font and size: pdf-lib lays the value out itself (one line, wrapped
 * lines or comb cells), it is not given the runs.
 */
async function setText(doc: Document, fonts: Fonts, fill: TextFill): Promise<void> {
  const field = doc.getForm().getField(fill.name);
  const font = await fonts.get(fill.font);
  if (field instanceof PDFTextField) {
    field.setText(fill.value);
    field.setFontSize(fill.size);
    field.updateAppearances(font);
  } else if (field instanceof PDFDropdown || field instanceof PDFOptionList) {
    field.select(fill.value);
    field.setFontSize(fill.size);
    field.updateAppearances(font);
  } else {
    throw new Error(`champ de texte attendu : ${fill.name}`);
  }
}

/** A radio group's widget whose « on » state is `state`, selected through its option (export value). */
function selectRadio(group: PDFRadioGroup, state: string): void {
  const options = group.getOptions();
  const index = group.acroField.getOnValues().findIndex((on) => on.decodeText() === state);
  const option = options[index];
  if (option === undefined) throw new Error(`état absent du groupe ${group.getName()} : ${state}`);
  group.select(option);
}

/** `fillForm`'s reference: the template loaded, filled through pdf-lib's form API, annex pages drawn, saved. */
export async function referenceFillForm(
  templateBytes: Uint8Array,
  fields: readonly FieldFill[],
  annex: readonly AnnexPage[],
  options: { flatten: boolean },
): Promise<Uint8Array> {
  const doc = await PDFDocument.load(templateBytes);
  const fonts = new Fonts(doc);
  const form = doc.getForm();
  for (const fill of fields) {
    if (fill.kind === "text") await setText(doc, fonts, fill);
    else if (fill.kind === "checkbox") {
      const box = form.getCheckBox(fill.name);
      if (fill.checked) box.check();
      else box.uncheck();
    } else selectRadio(form.getRadioGroup(fill.name), fill.state);
  }
  for (const { width, height, runs } of annex) await drawRuns(doc.addPage([width, height]), fonts, runs);
  if (options.flatten) {
    // pdf-lib flattens every field, signature fields too: their widgets have no appearance (nothing is signed
    // yet), so they are removed first rather than reported by `flatten` one by one. The fence keeps them, for an
    // electronic signature, and the buttons (src/render/flatten.ts): the tests compare both on everything else.
    for (const field of form.getFields()) if (field instanceof PDFSignature) form.removeField(field);
    // Text fields got their appearance above, in their font; check boxes and radio buttons keep the template's.
    form.flatten({ updateFieldAppearances: false });
  }
  return doc.save({ updateFieldAppearances: false });
}

async function drawMarks(page: PDFPage, fonts: Fonts, marks: readonly PageMark[], dy: number): Promise<void> {
  for (const mark of marks) {
    switch (mark.kind) {
      case "text":
        page.drawText(mark.text, {
          x: mark.x,
          y: mark.y + dy,
          size: mark.size,
          font: await fonts.get(mark.font),
          color: rgb(mark.color.red, mark.color.green, mark.color.blue),
        });
        break;
      case "line":
        page.drawLine({
          start: { x: mark.x1, y: mark.y1 + dy },
          end: { x: mark.x2, y: mark.y2 + dy },
          thickness: mark.thickness,
          color: rgb(mark.color.red, mark.color.green, mark.color.blue),
        });
        break;
      case "box":
        page.drawRectangle({
          x: mark.x,
          y: mark.y + dy,
          width: mark.width,
          height: mark.height,
          color: rgb(mark.color.red, mark.color.green, mark.color.blue),
        });
        break;
      case "group":
        await drawMarks(page, fonts, mark.marks, dy + mark.dy);
        break;
    }
  }
}

/** `writeTextDocument`'s reference: a new document, each page's marks drawn with pdf-lib's drawing API. */
export async function referenceWriteTextDocument(pages: readonly LaidOutPage[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const fonts = new Fonts(doc);
  for (const { width, height, marks } of pages)
    await drawMarks(doc.addPage([width, height]), fonts, marks, 0);
  return doc.save();
}
