import { num } from "./content.js";
import { PDFArray, PDFDict, PDFName, PDFNumber, type PDFObject, PDFRef, PDFStream } from "./pdf-lib.js";
import type { PdfUpdate } from "./pdf-update.js";
import type { Rect, TemplateStructure, TemplateWidget } from "./template-structure.js";

/**
 * Flattening (--flatten): each widget's appearance is drawn into its page's content and the widget removed,
 * so the fields can no longer be edited. Signature fields and buttons stay interactive.
 */

export interface FlattenWidget {
  widget: TemplateWidget;
  /** The widget dictionary as filled (or the template's when unchanged). */
  dict: PDFDict;
}

type Lookup = (obj: PDFObject | undefined) => PDFObject | undefined;

function numbersOf(obj: PDFObject | undefined, lookup: Lookup, fallback: number[]): number[] {
  const arr = lookup(obj);
  if (!(arr instanceof PDFArray)) return fallback;
  const out: number[] = [];
  for (let i = 0; i < arr.size(); i++) {
    const n = lookup(arr.get(i));
    out.push(n instanceof PDFNumber ? n.asNumber() : 0);
  }
  return out;
}

/** The normal appearance stream of a widget in its current state, or undefined. */
function normalAppearance(dict: PDFDict, lookup: Lookup): PDFRef | undefined {
  const ap = lookup(dict.get(PDFName.of("AP")));
  if (!(ap instanceof PDFDict)) return undefined;
  const n = ap.get(PDFName.of("N"));
  if (n instanceof PDFRef && lookup(n) instanceof PDFStream) return n;
  const states = lookup(n);
  if (!(states instanceof PDFDict)) return undefined;
  const as = lookup(dict.get(PDFName.of("AS")));
  if (!(as instanceof PDFName)) return undefined;
  const state = states.get(as);
  return state instanceof PDFRef ? state : undefined;
}

/** The matrix that maps the appearance's transformed bounding box onto the widget rectangle (§12.5.5). */
function placement(stream: PDFStream, rect: Rect, lookup: Lookup): string | undefined {
  const [bx1 = 0, by1 = 0, bx2 = 0, by2 = 0] = numbersOf(stream.dict.get(PDFName.of("BBox")), lookup, []);
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = numbersOf(
    stream.dict.get(PDFName.of("Matrix")),
    lookup,
    [],
  );
  const corners = [
    [bx1, by1],
    [bx2, by1],
    [bx1, by2],
    [bx2, by2],
  ].map(([x = 0, y = 0]) => [a * x + c * y + e, b * x + d * y + f] as const);
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const w = Math.max(...xs) - minX;
  const h = Math.max(...ys) - minY;
  if (w <= 0 || h <= 0) return undefined;
  const sx = rect.width / w;
  const sy = rect.height / h;
  return `${num(sx)} 0 0 ${num(sy)} ${num(rect.x - minX * sx)} ${num(rect.y - minY * sy)}`;
}

function refsOf(obj: PDFObject | undefined, lookup: Lookup): PDFRef[] {
  if (obj instanceof PDFRef && lookup(obj) instanceof PDFStream) return [obj];
  const arr = lookup(obj);
  const refs: PDFRef[] = [];
  if (arr instanceof PDFArray)
    for (let i = 0; i < arr.size(); i++) {
      const item = arr.get(i);
      if (item instanceof PDFRef) refs.push(item);
    }
  return refs;
}

/** Draws the widgets into their pages and removes them; returns the refs of the widgets removed. */
export function flattenWidgets(
  update: PdfUpdate,
  structure: TemplateStructure,
  widgets: readonly FlattenWidget[],
  lookup: Lookup,
): Set<PDFRef> {
  const removed = new Set<PDFRef>();
  const context = update.context;
  let pushRef: PDFRef | undefined;
  structure.pages.forEach((page, pageIndex) => {
    const onPage = widgets.filter((w) => w.widget.pageIndex === pageIndex);
    if (onPage.length === 0) return;
    const xobjects = PDFDict.withContext(context);
    const existing = lookup(page.resources?.get(PDFName.of("XObject")));
    if (existing instanceof PDFDict) for (const [k, v] of existing.entries()) xobjects.set(k, v);
    let ops = "Q\n";
    onPage.forEach((item, i) => {
      removed.add(item.widget.ref);
      if (item.widget.hidden) return;
      const ref = normalAppearance(item.dict, lookup);
      const stream = lookup(ref);
      if (!ref || !(stream instanceof PDFStream)) return;
      const matrix = placement(stream, item.widget.rect, lookup);
      if (!matrix) return;
      const name = `DDFlat${i + 1}`;
      xobjects.set(PDFName.of(name), ref);
      ops += `q\n${matrix} cm\n/${name} Do\nQ\n`;
    });
    pushRef ??= update.register(context.stream("q\n"));
    const drawRef = update.register(context.flateStream(ops));
    const pageDict = update.edit(page.ref, page.dict);
    pageDict.set(
      PDFName.of("Contents"),
      context.obj([pushRef, ...refsOf(page.dict.get(PDFName.of("Contents")), lookup), drawRef]),
    );
    const resources = page.resources ? page.resources.clone(context) : PDFDict.withContext(context);
    resources.set(PDFName.of("XObject"), xobjects);
    pageDict.set(PDFName.of("Resources"), resources);
    const annots = page.annots.filter((ref) => !removed.has(ref));
    if (annots.length > 0) pageDict.set(PDFName.of("Annots"), context.obj(annots));
    else pageDict.delete(PDFName.of("Annots"));
  });
  return removed;
}
