import { colorOperator, num, type TextRun, textRunOperators } from "./content.js";
import type { FillFonts } from "./fill-fonts.js";
import type { FontUse } from "./fonts.js";
import { BBOX, FORM, RESOURCES, SUBTYPE, TYPE, XOBJECT } from "./names.js";
import { type PDFArray, PDFContext, PDFDict } from "./pdf-lib.js";
import { TextStream } from "./pdf-update.js";
import type { TemplateWidget } from "./template-structure.js";

/** The appearance stream of a text field's widget: its frame, then the text runs laid out outside. */

/**
 * Each widget's appearance /BBox, made once per process in a context of its own: like the template's
 * objects, it is shared by every fill and never changed (`PdfUpdate` writes its bytes once).
 */
const shared = PDFContext.create();
const bboxes = new WeakMap<TemplateWidget, PDFArray>();

function bboxOf(widget: TemplateWidget): PDFArray {
  let bbox = bboxes.get(widget);
  if (!bbox) {
    bbox = shared.obj([0, 0, widget.rect.width, widget.rect.height]);
    bboxes.set(widget, bbox);
  }
  return bbox;
}

const frames = new WeakMap<TemplateWidget, string>();

/** The start of a widget's appearance: background, border, clipping to the inner box (once per widget). */
function widgetFrame(widget: TemplateWidget): string {
  let ops = frames.get(widget);
  if (ops === undefined) {
    const { width: w, height: h } = widget.rect;
    ops = "/Tx BMC\nq\n";
    const bg = colorOperator(widget.background, false);
    if (bg) ops += `${bg}\n0 0 ${num(w)} ${num(h)} re f\n`;
    const bc = colorOperator(widget.border, true);
    if (bc && widget.borderWidth > 0) {
      const bw = widget.borderWidth;
      ops += `${bc}\n${num(bw)} w\n${num(bw / 2)} ${num(bw / 2)} ${num(w - bw)} ${num(h - bw)} re S\n`;
    }
    ops += `1 1 ${num(w - 2)} ${num(h - 2)} re W n\n`;
    frames.set(widget, ops);
  }
  return ops;
}

/** The normal appearance stream of one widget: `runs` in `font`, in the field's colour (`color`, operators). */
export function textAppearance(
  fonts: FillFonts,
  widget: TemplateWidget,
  runs: readonly TextRun[],
  font: FontUse,
  color: string,
): TextStream {
  let ops = widgetFrame(widget);
  for (const run of runs) if (run.text) ops += textRunOperators(fonts, run, color);
  ops += "Q\nEMC\n";
  const context = fonts.context;
  const dict = PDFDict.withContext(context);
  dict.set(TYPE, XOBJECT);
  dict.set(SUBTYPE, FORM);
  dict.set(BBOX, bboxOf(widget));
  dict.set(RESOURCES, fonts.resources([font]));
  return new TextStream(dict, ops);
}
