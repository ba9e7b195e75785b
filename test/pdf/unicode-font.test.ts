import { describe, expect, it } from "vitest";
import {
  CustomFontSubsetEmbedder,
  PDFContext,
  type PDFObject,
  type PDFRef,
} from "../../src/render/pdf-lib.js";
import { objectBytes, PdfUpdate } from "../../src/render/pdf-update.js";
import { cachingFontkit, type FontStyle, unicodeFontBytes } from "../../src/render/unicode-face.js";
import { UnicodeFontSubset } from "../../src/render/unicode-font.js";

/** Every indirect object of a context, as written bytes (latin1), by object number. */
function written(objects: [PDFRef, PDFObject][]): [number, string][] {
  return objects.map(([ref, object]) => [
    ref.objectNumber,
    Buffer.from(objectBytes(object)).toString("latin1"),
  ]);
}

/** pdf-lib's own subset embedder: the encoded texts and the objects it writes. */
async function withPdfLib(style: FontStyle, name: string, texts: readonly string[]) {
  const context = PDFContext.create();
  const embedder = await CustomFontSubsetEmbedder.for(cachingFontkit, unicodeFontBytes(style), name);
  const encoded = texts.map((t) => embedder.encodeText(t).toString());
  const ref = context.nextRef();
  await embedder.embedIntoContext(context, ref);
  return { encoded, objects: written(context.enumerateIndirectObjects()) };
}

function withSubset(style: FontStyle, name: string, texts: readonly string[]) {
  const empty = new Uint8Array([0x0a]);
  const update = new PdfUpdate({ bytes: empty, size: 1, startXref: 0, permanentId: null as never });
  const subset = new UnicodeFontSubset(style, name);
  const encoded = texts.map((t) => subset.encode(t));
  const ref = update.reserve();
  subset.embed(update, ref);
  return { encoded, objects: written(update.context.enumerateIndirectObjects()) };
}

const CASES: [FontStyle, string[]][] = [
  ["regular", ["Nguyễn", "Élodie Nguyễn"]],
  ["regular", ["Văn Đức ẩ ố ờ ự ễ", "x\u00a0y\u202fz", "ǺǻǅǄ ŵŷ"]],
  ["bold", ["Łukasz García", "Diapason\u202f!"]],
];

describe("police DejaVu Sans d'un remplissage", () => {
  it("mêmes codes et mêmes objets, octet pour octet, que l'embarqueur de pdf-lib", async () => {
    for (const [style, texts] of CASES) {
      const name = `ABCDEF+${style === "bold" ? "DejaVuSans-Bold" : "DejaVuSans"}`;
      const expected = await withPdfLib(style, name, texts);
      // Twice: the second time the compressed program and ToUnicode map come from the process's memo.
      for (let i = 0; i < 2; i++) {
        const actual = withSubset(style, name, texts);
        expect(actual.encoded).toEqual(expected.encoded);
        expect(actual.objects).toEqual(expected.objects);
      }
    }
  });

  it("deux remplissages aux glyphes différents n'échangent pas leurs programmes", () => {
    const a = withSubset("regular", "AAAAAA+DejaVuSans", ["Nguyễn"]);
    const b = withSubset("regular", "AAAAAA+DejaVuSans", ["Łukasz"]);
    const again = withSubset("regular", "AAAAAA+DejaVuSans", ["Nguyễn"]);
    // Object 1 is the Type0 font (reserved first), object 2 its compressed program.
    expect(a.objects[1]?.[1]).toContain("/Filter /FlateDecode");
    expect(b.objects[1]?.[1]).not.toBe(a.objects[1]?.[1]);
    expect(again.objects).toEqual(a.objects);
  });
});
