import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { embedFonts, needsUnicodeFont } from "../../src/render/fonts.js";
import { appendPage, setPageFont, writePdfFile } from "../../src/render/pdf-file.js";
import { type PDFDict, PDFDocument, PDFName, type PDFRef } from "../../src/render/pdf-lib.js";

/**
 * `appendPage` + `writePdfFile` against pdf-lib's `addPage` + `save`: the same document drawn both ways must
 * give the same bytes (standard fonts, an embedded DejaVu subset, an Info dictionary, several pages).
 */

const A4: [number, number] = [595.28, 841.89];
const TEXTS = ["Centre hospitalier de Ville", "Nguyễn Văn Đức", "Łukasz"];

type AddPage = (doc: PDFDocument) => PDFDict;
type SetFont = (page: PDFDict, name: PDFName, ref: PDFRef) => void;

async function draw(
  pages: number,
  unicode: boolean,
  addPage: AddPage,
  setFont: SetFont,
): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  // DejaVu Sans regular alone: it also draws the bold pages' texts.
  const fonts = await embedFonts(doc, {
    regular: (unicode ? TEXTS : TEXTS.slice(0, 1)).filter(needsUnicodeFont),
    bold: [],
  });
  const font = (text: string, style: "regular" | "bold") =>
    fonts.font(
      needsUnicodeFont(text) ? { family: "unicode", style: "regular" } : { family: "standard", style },
    );
  for (let i = 0; i < pages; i++) {
    const page = addPage(doc);
    const used = TEXTS.slice(0, unicode ? 3 : 1).map((t) => font(t, i % 2 === 0 ? "regular" : "bold"));
    for (const [n, font] of used.entries()) setFont(page, PDFName.of(`F${n + 1}`), font.ref);
    const ops = used.map(
      (font, n) => `BT /F${n + 1} 12 Tf 56 ${700 - 20 * n} Td ${font.encodeText(TEXTS[n] ?? "")} Tj ET`,
    );
    const stream = doc.context.stream(deflateSync(Buffer.from(ops.join("\n"), "latin1")), {
      Filter: "FlateDecode",
    });
    page.set(PDFName.of("Contents"), doc.context.register(stream));
  }
  doc.setTitle("Feuille de route – Élodie", { showInWindowTitleBar: true });
  doc.setCreationDate(new Date("2026-11-29T09:00:00Z"));
  doc.setLanguage("fr-FR");
  return doc;
}

const withPdfLib = async (pages: number, unicode: boolean) => {
  const doc = await draw(
    pages,
    unicode,
    (d) => d.addPage(A4).node,
    (page, name, ref) => (page as ReturnType<PDFDocument["addPage"]>["node"]).setFontDictionary(name, ref),
  );
  return doc.save({ useObjectStreams: false });
};

const withOurs = async (pages: number, unicode: boolean) => {
  const doc = await draw(pages, unicode, (d) => appendPage(d, A4), setPageFont);
  await doc.flush();
  return writePdfFile(doc.context);
};

describe("writePdfFile", () => {
  it.each([
    [1, false],
    [3, false],
    [2, true],
    [12, true],
  ])("writes the bytes pdf-lib writes (%i pages, Unicode fonts: %s)", async (pages, unicode) => {
    const ours = await withOurs(pages, unicode);
    const theirs = await withPdfLib(pages, unicode);
    expect(Buffer.from(ours).toString("latin1")).toBe(Buffer.from(theirs).toString("latin1"));
    // And pdf-lib reads it back with its pages.
    const reread = await PDFDocument.load(ours, { updateMetadata: false });
    expect(reread.getPageCount()).toBe(pages);
    expect(reread.getTitle()).toBe("Feuille de route – Élodie");
  });

  it("refuses a document it cannot write as pdf-lib would", async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    appendPage(doc, A4);
    // A gap in the object numbers (an object removed) would need another cross-reference subsection.
    const extra = doc.context.register(doc.context.obj({}));
    doc.context.register(doc.context.obj({}));
    doc.context.delete(extra);
    expect(() => writePdfFile(doc.context)).toThrow(/objet inattendu/);
  });
});
