import { createRequire } from "node:module";
import type fontkit from "@pdf-lib/fontkit";
import { describe, expect, it, vi } from "vitest";
import {
  CustomFontEmbedder,
  CustomFontSubsetEmbedder,
  PDFArray,
  PDFContext,
  type PDFDict,
  PDFDocument,
  type PDFName,
  StandardFonts,
} from "../../src/render/pdf-lib.js";
import { standardText } from "../../src/render/standard-text.js";
import {
  cachingFontkit,
  GlyphSubset,
  pdfLibUnicodeFont,
  unicodeFontBytes,
  unicodeFontkitFont,
} from "../../src/render/unicode-face.js";

/**
 * One test per reliance of src/render on a library's private field or on patching it at run time, as listed in
 * src/render/README.md. Each fails with a message naming the module that relies on it, the day an upgrade of
 * the library changes what it relies on.
 */

const require = createRequire(import.meta.url);

describe("reliances of src/render on the libraries' private parts", () => {
  it("pdf-update.ts reads PDFDict's private `dict` map, in the order of entries()", () => {
    const context = PDFContext.create();
    const dict = context.obj({ Type: "Page", A: 1, B: "x" }) as PDFDict;
    const map = (dict as unknown as { dict?: unknown }).dict;
    expect(
      map instanceof Map,
      "@cantoo/pdf-lib: PDFDict has no private `dict` Map any more (src/render/pdf-update.ts, entryMap)",
    ).toBe(true);
    expect(
      [...(map as Map<PDFName, unknown>).keys()].map(String),
      "@cantoo/pdf-lib: PDFDict's private `dict` no longer holds the entries in order (src/render/pdf-update.ts)",
    ).toEqual(dict.entries().map(([key]) => String(key)));
  });

  it("pdf-update.ts reads PDFArray's private `context`", () => {
    const context = PDFContext.create();
    const array = PDFArray.withContext(context);
    expect(
      (array as unknown as { context?: unknown }).context,
      "@cantoo/pdf-lib: PDFArray no longer keeps its context in a private `context` field (src/render/pdf-update.ts, contextOf)",
    ).toBe(context);
  });

  it("unicode-font.ts pushes its fonts on PDFDocument's private `fonts` list, embedded by save()", async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const fonts = (doc as unknown as { fonts?: unknown }).fonts;
    expect(
      Array.isArray(fonts),
      "@cantoo/pdf-lib: PDFDocument has no private `fonts` array any more (src/render/unicode-font.ts, documentFonts)",
    ).toBe(true);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    expect(
      fonts as unknown[],
      "@cantoo/pdf-lib: embedFont no longer records the font in the private `fonts` list",
    ).toContain(font);
  });

  it("unicode-font.ts subclasses CustomFontEmbedder: its constructor, `scale` and the methods it overrides", () => {
    // As UnicodeFontEmbedder: a subclass calling the (protected) constructor with the face, its bytes, a name.
    class Probe extends CustomFontEmbedder {
      constructor() {
        super(pdfLibUnicodeFont("regular"), unicodeFontBytes("regular"), "X");
      }
    }
    const scale = (new Probe() as unknown as { scale?: unknown }).scale;
    expect(
      scale,
      "@cantoo/pdf-lib: CustomFontEmbedder(font, bytes, name) no longer sets a protected `scale` of 1000 / unitsPerEm (src/render/unicode-font.ts)",
    ).toBe(1000 / unicodeFontkitFont("regular").unitsPerEm);
    for (const method of ["encodeText", "glyphCountOfText", "widthOfTextAtSize", "embedIntoContext"]) {
      expect(
        typeof (CustomFontEmbedder.prototype as unknown as Record<string, unknown>)[method],
        `@cantoo/pdf-lib: CustomFontEmbedder has no method ${method} for UnicodeFontEmbedder to override (src/render/unicode-font.ts)`,
      ).toBe("function");
    }
  });

  it("unicode-face.ts hands pdf-lib a subset whose encode() it calls without a stream", async () => {
    const encode = vi.spyOn(GlyphSubset.prototype, "encode");
    try {
      const embedder = await CustomFontSubsetEmbedder.for(cachingFontkit, unicodeFontBytes("regular"), "X");
      embedder.encodeText("Łukasz");
      await embedder.embedIntoContext(PDFContext.create());
      expect(
        encode,
        "@cantoo/pdf-lib: CustomFontSubsetEmbedder no longer calls subset.encode() (src/render/unicode-face.ts, forPdfLib)",
      ).toHaveBeenCalled();
    } finally {
      encode.mockRestore();
    }
  });

  it("unicode-face.ts replaces fontkit's getGlyph(id, codePoints) and copies glyphs with codePoints, isLigature, isMark", () => {
    const raw = (require("@pdf-lib/fontkit") as typeof fontkit).create(
      unicodeFontBytes("regular"),
    ) as fontkit.Font;
    expect(
      typeof raw.getGlyph,
      "@pdf-lib/fontkit: Font.getGlyph is gone (src/render/unicode-face.ts, exactCodePoints)",
    ).toBe("function");
    const glyph = raw.getGlyph(raw.glyphForCodePoint(0x41).id, [0x41]);
    for (const field of ["codePoints", "isLigature", "isMark"]) {
      expect(
        field in glyph,
        `@pdf-lib/fontkit: a glyph has no \`${field}\` any more (src/render/unicode-face.ts)`,
      ).toBe(true);
    }
    expect(
      glyph.codePoints,
      "@pdf-lib/fontkit: getGlyph(id, codePoints) no longer keeps the code points asked",
    ).toEqual([0x41]);
    // The patched face answers each request with exactly its characters (what the patch exists for).
    const face = unicodeFontkitFont("regular");
    const space = face.glyphForCodePoint(0x20).id;
    expect(face.getGlyph(space, [0xa0]).codePoints).toEqual([0xa0]);
    expect(face.getGlyph(space, [0x20]).codePoints).toEqual([0x20]);
  });

  it("mime.ts uses nodemailer's internal lib/mime-funcs: encodeWord, buildHeaderValue, foldLines", () => {
    const mimeFuncs = require("nodemailer/lib/mime-funcs/index.js") as Record<string, unknown>;
    for (const name of ["encodeWord", "buildHeaderValue", "foldLines"]) {
      expect(
        typeof mimeFuncs[name],
        `nodemailer: lib/mime-funcs has no ${name} any more (src/render/mime.ts)`,
      ).toBe("function");
    }
    const encodeWord = mimeFuncs.encodeWord as (value: string, type: string) => string;
    expect(encodeWord("é", "Q"), "nodemailer: lib/mime-funcs encodeWord writes another encoded word").toBe(
      "=?UTF-8?Q?=C3=A9?=",
    );
  });

  it("standard-text.ts measures Helvetica as pdf-lib's StandardFontEmbedder does, from the AFM tables", async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    for (const [name, style] of [
      [StandardFonts.Helvetica, "regular"],
      [StandardFonts.HelveticaBold, "bold"],
    ] as const) {
      const font = await doc.embedFont(name);
      const text = "Clinique Saint-Ägidius — « ŒUVRE » : 12 € AVAWAY";
      expect(
        standardText(font)?.width(text, 10),
        `@cantoo/pdf-lib: ${style} Helvetica widths differ from the tables src/render/standard-text.ts builds`,
      ).toBeCloseTo(font.widthOfTextAtSize(text, 10), 9);
      expect(
        standardText(font)?.hex(text),
        "@cantoo/pdf-lib: WinAnsi codes differ (src/render/standard-text.ts)",
      ).toBe(font.encodeText(text).toString());
    }
  });
});
