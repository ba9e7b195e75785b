import { colorOperator, num, type TextRun, textRunOperators } from "./content.js";
import type { FillFonts } from "./fill-fonts.js";
import type { FontUse } from "./fonts.js";
import { fontMetrics } from "./fonts.js";
import { BBOX, FORM, RESOURCES, SUBTYPE, TYPE, XOBJECT } from "./names.js";
import { type PDFArray, PDFContext, PDFDict } from "./pdf-lib.js";
import { TextStream } from "./pdf-update.js";
import type { TemplateField, TemplateWidget } from "./template-structure.js";
import { type Fit, type FitBox, fitText, headThatFits, LEADING, MIN_FONT_SIZE } from "./text-layout.js";

/** The text of one field in each of its widgets: size, lines, and the appearance stream that draws them. */

export const PADDING = 2;

export interface WidgetText {
  widget: TemplateWidget;
  size: number;
  lines: string[];
  /** The positioned runs, once computed (`noteFieldText`), for the appearance stream. */
  runs?: TextRun[];
}

export interface FieldFit {
  fits: boolean;
  /** Size in the field's first visible widget. */
  size: number;
  baseSize: number;
  widgets: WidgetText[];
}

function box(field: TemplateField, widget: TemplateWidget): FitBox {
  return {
    width: widget.rect.width,
    height: widget.rect.height,
    multiline: field.multiline,
    padding: PADDING,
  };
}

/** The size the field asks for: its /DA size, or for « auto » (0) what fills a one-line box. */
export function baseSizeOf(field: TemplateField, widget: TemplateWidget, font: FontUse): number {
  if (field.fontSize > 0) return field.fontSize;
  const m = fontMetrics(font.family, font.style);
  if (field.multiline) return 10;
  return Math.max(MIN_FONT_SIZE, Math.min(12, (widget.rect.height - 2 * PADDING) / (m.ascent - m.descent)));
}

function visible(field: TemplateField): TemplateWidget[] {
  const shown = field.widgets.filter((w) => !w.hidden && w.rect.width > 0 && w.rect.height > 0);
  return shown.length > 0 ? shown : field.widgets.slice(0, 1);
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Fits `text` into every widget of the field, shrinking down to the minimum size. */
export function fitField(field: TemplateField, text: string, font: FontUse): FieldFit {
  const metrics = fontMetrics(font.family, font.style);
  const widgets: WidgetText[] = [];
  let fits = true;
  let size = 0;
  let baseSize = 0;
  visible(field).forEach((widget, index) => {
    const base = baseSizeOf(field, widget, font);
    let fit: Fit;
    if (field.comb && field.maxLength) {
      fit = { size: base, lines: [text], fits: codePoints(text) <= field.maxLength };
    } else {
      fit = fitText(text, metrics, box(field, widget), base, MIN_FONT_SIZE);
      if (field.maxLength !== undefined && codePoints(text) > field.maxLength) fit = { ...fit, fits: false };
    }
    if (index === 0) {
      fits = fit.fits;
      size = fit.size;
      baseSize = base;
    }
    widgets.push({ widget, size: fit.size, lines: fit.lines });
  });
  return { fits, size, baseSize, widgets };
}

/**
 * The text shown when `text` does not fit: its longest beginning followed by the pointer to the annex, at
 * the minimum size. A field with a maximum length keeps its first characters (the annex has the rest).
 */
export function displayWithPointer(
  field: TemplateField,
  text: string,
  font: FontUse,
  pointer: (head: string) => string,
): string {
  if (field.maxLength !== undefined) return [...text].slice(0, field.maxLength).join("");
  const widget = visible(field)[0];
  if (!widget) return pointer("");
  const metrics = fontMetrics(font.family, font.style);
  return pointer(headThatFits(text, pointer, metrics, box(field, widget), MIN_FONT_SIZE).head);
}

function runs(field: TemplateField, wt: WidgetText, font: FontUse): TextRun[] {
  const m = fontMetrics(font.family, font.style);
  const { width: w, height: h } = wt.widget.rect;
  const size = wt.size;
  const oneLineY = (h - (m.ascent - m.descent) * size) / 2 - m.descent * size;
  if (field.comb && field.maxLength) {
    const cell = w / field.maxLength;
    return [...(wt.lines[0] ?? "")].map((char, i) => ({
      font,
      size,
      x: i * cell + (cell - m.widthOfText(char, size)) / 2,
      y: oneLineY,
      text: char,
    }));
  }
  const x = (line: string): number => {
    const lw = m.widthOfText(line, size);
    if (field.quadding === 1) return (w - lw) / 2;
    if (field.quadding === 2) return w - PADDING - lw;
    return PADDING;
  };
  if (!field.multiline)
    return [{ font, size, x: x(wt.lines[0] ?? ""), y: oneLineY, text: wt.lines[0] ?? "" }];
  const top = h - PADDING - m.ascent * size;
  return wt.lines.map((line, i) => ({ font, size, x: x(line), y: top - i * LEADING * size, text: line }));
}

function widgetRuns(field: TemplateField, wt: WidgetText, font: FontUse): TextRun[] {
  wt.runs ??= runs(field, wt, font);
  return wt.runs;
}

/** Announces the texts of a fitted field to the fonts (before they are prepared). */
export function noteFieldText(fonts: FillFonts, field: TemplateField, fit: FieldFit, font: FontUse): void {
  for (const wt of fit.widgets)
    for (const run of widgetRuns(field, wt, font)) if (run.text) fonts.note(font, run.text);
}

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

/** The normal appearance stream of one widget. */
export function textAppearance(
  fonts: FillFonts,
  field: TemplateField,
  wt: WidgetText,
  font: FontUse,
): TextStream {
  const { widget } = wt;
  let ops = widgetFrame(widget);
  for (const run of widgetRuns(field, wt, font))
    if (run.text) ops += textRunOperators(fonts, run, field.colorOperators);
  ops += "Q\nEMC\n";
  const context = fonts.context;
  const dict = PDFDict.withContext(context);
  dict.set(TYPE, XOBJECT);
  dict.set(SUBTYPE, FORM);
  dict.set(BBOX, bboxOf(widget));
  dict.set(RESOURCES, fonts.resources([font]));
  return new TextStream(dict, ops);
}
