import { type Fit, type FitBox, fitText, headThatFits, LEADING, MIN_FONT_SIZE } from "../layout/fit.js";
import { type FontUse, type FormField, type FormWidget, fontMetrics, type TextRun } from "../render/index.js";

/** The text of one field in each of its widgets: size, lines, and the runs that draw them. */

export const PADDING = 2;

export interface WidgetText {
  widget: FormWidget;
  /** Its index in the field's widgets. */
  index: number;
  size: number;
  lines: string[];
}

export interface FieldFit {
  fits: boolean;
  /** Size in the field's first visible widget. */
  size: number;
  baseSize: number;
  widgets: WidgetText[];
}

function box(field: FormField, widget: FormWidget): FitBox {
  return {
    width: widget.rect.width,
    height: widget.rect.height,
    multiline: field.multiline,
    padding: PADDING,
  };
}

/** The size the field asks for: its /DA size, or for « auto » (0) what fills a one-line box. */
export function baseSizeOf(field: FormField, widget: FormWidget, font: FontUse): number {
  if (field.fontSize > 0) return field.fontSize;
  const m = fontMetrics(font.family, font.style);
  if (field.multiline) return 10;
  return Math.max(MIN_FONT_SIZE, Math.min(12, (widget.rect.height - 2 * PADDING) / (m.ascent - m.descent)));
}

/** The widgets that show the field (their index), or its first one when none does. */
function visible(field: FormField): number[] {
  const shown: number[] = [];
  field.widgets.forEach((w, i) => {
    if (!w.hidden && w.rect.width > 0 && w.rect.height > 0) shown.push(i);
  });
  return shown.length > 0 ? shown : field.widgets.length > 0 ? [0] : [];
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Fits `text` into every widget of the field, shrinking down to the minimum size. */
export function fitField(field: FormField, text: string, font: FontUse): FieldFit {
  const metrics = fontMetrics(font.family, font.style);
  const widgets: WidgetText[] = [];
  let fits = true;
  let size = 0;
  let baseSize = 0;
  visible(field).forEach((index, order) => {
    const widget = field.widgets[index] as FormWidget;
    const base = baseSizeOf(field, widget, font);
    let fit: Fit;
    if (field.comb && field.maxLength) {
      fit = { size: base, lines: [text], fits: codePoints(text) <= field.maxLength };
    } else {
      fit = fitText(text, metrics, box(field, widget), base, MIN_FONT_SIZE);
      if (field.maxLength !== undefined && codePoints(text) > field.maxLength) fit = { ...fit, fits: false };
    }
    if (order === 0) {
      fits = fit.fits;
      size = fit.size;
      baseSize = base;
    }
    widgets.push({ widget, index, size: fit.size, lines: fit.lines });
  });
  return { fits, size, baseSize, widgets };
}

/**
 * The text shown when `text` does not fit: its longest beginning followed by the pointer to the annex, at
 * the minimum size. A field with a maximum length keeps its first characters (the annex has the rest).
 */
export function displayWithPointer(
  field: FormField,
  text: string,
  font: FontUse,
  pointer: (head: string) => string,
): string {
  if (field.maxLength !== undefined) return [...text].slice(0, field.maxLength).join("");
  const index = visible(field)[0];
  const widget = index === undefined ? undefined : field.widgets[index];
  if (!widget) return pointer("");
  const metrics = fontMetrics(font.family, font.style);
  return pointer(headThatFits(text, pointer, metrics, box(field, widget), MIN_FONT_SIZE).head);
}

/** The positioned runs that draw a widget's lines (in the widget's own coordinates). */
export function widgetRuns(field: FormField, wt: WidgetText, font: FontUse): TextRun[] {
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
