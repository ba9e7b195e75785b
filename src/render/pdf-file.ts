import {
  ANNOTS,
  COUNT,
  EXT_G_STATE,
  FONT,
  KIDS,
  MEDIA_BOX,
  PAGE,
  PAGES,
  PARENT,
  RESOURCES,
  TYPE,
  XOBJECT,
} from "./names.js";
import {
  PDFArray,
  type PDFContext,
  PDFDict,
  type PDFDocument,
  type PDFName,
  PDFNumber,
  type PDFObject,
  PDFRef,
} from "./pdf-lib.js";
import { ByteWriter, writeObject } from "./pdf-update.js";

/**
 * Pages added to a pdf-lib document, and the whole file written from its objects, for the documents the tool
 * draws itself (the route sheet): the same bytes as pdf-lib's `addPage` then `save({ useObjectStreams: false
 * })`, without its page objects and its writer's two passes over every object. Neither encryption nor object
 * streams: pdf-lib's `save` stays for those.
 */

/**
 * A new last page of `doc`, `[width, height]` points: the dictionary `doc.addPage` makes, with the entries
 * pdf-lib adds when a first font is set (`Font`, `XObject`, `ExtGState`, then `Annots`), in the same order.
 * The caller sets its fonts (`setPageFont`) then its `Contents`. Built from prepared names (pdf-lib decodes
 * every name it is given) and added to the root of the page tree directly (pdf-lib walks it each time).
 */
export function appendPage(doc: PDFDocument, [width, height]: [number, number]): PDFDict {
  const context = doc.context;
  const treeRef = doc.catalog.get(PAGES);
  const tree = context.lookup(treeRef);
  if (!(treeRef instanceof PDFRef) || !(tree instanceof PDFDict) || tree.has(PARENT)) {
    throw new Error("appendPage : arbre des pages inattendu");
  }
  const dict = (entries: [PDFName, PDFObject][]) => PDFDict.fromMapWithContext(new Map(entries), context);
  const box = PDFArray.withContext(context);
  for (const n of [0, 0, width, height]) box.push(PDFNumber.of(n));
  const page = dict([
    [TYPE, PAGE],
    [PARENT, treeRef],
    [
      RESOURCES,
      dict([
        [FONT, dict([])],
        [XOBJECT, dict([])],
        [EXT_G_STATE, dict([])],
      ]),
    ],
    [MEDIA_BOX, box],
    [ANNOTS, PDFArray.withContext(context)],
  ]);
  const kids = tree.lookup(KIDS, PDFArray);
  kids.push(context.register(page));
  tree.set(COUNT, PDFNumber.of(kids.size()));
  return page;
}

/** Names the font `ref` as `name` in the page's resources (a page made by `appendPage`). */
export function setPageFont(page: PDFDict, name: PDFName, ref: PDFRef): void {
  const fonts = page.lookup(RESOURCES, PDFDict).lookup(FONT, PDFDict);
  fonts.set(name, ref);
}

/**
 * The document's objects as a PDF file: pdf-lib's header, its objects in number order, a cross-reference
 * table and the trailer (`Size`, `Root`, `Info`, `ID`). Embed the fonts first (`await doc.flush()`).
 */
export function writePdfFile(context: PDFContext): Uint8Array {
  const { Root, Info, ID, Encrypt } = context.trailerInfo;
  if (Encrypt !== undefined || context.security !== undefined) {
    throw new Error("writePdfFile n'écrit pas de document chiffré");
  }
  const w = new ByteWriter(64 * 1024);
  w.text(`${context.header.toString()}\n\n`);
  const offsets: number[] = [];
  let expected = 1;
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    // Numbers from 1 without gaps and generation 0: one cross-reference subsection, as pdf-lib writes it.
    if (ref.objectNumber !== expected++ || ref.generationNumber !== 0) {
      throw new Error(`writePdfFile : objet inattendu ${ref.toString()}`);
    }
    offsets.push(w.length);
    w.text(`${ref.objectNumber} 0 obj\n`);
    writeObject(w, object, undefined);
    w.text("\nendobj\n\n");
  }
  const xref = w.length;
  w.text(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`);
  for (const offset of offsets) {
    w.padded(offset, 10);
    w.text(" 00000 n \n");
  }
  const trailer = context.obj({ Size: context.largestObjectNumber + 1, Root, Info, ID });
  w.text("\ntrailer\n");
  writeObject(w, trailer, undefined);
  w.text(`\n\nstartxref\n${xref}\n%%EOF`);
  return w.bytes.slice(0, w.length);
}
